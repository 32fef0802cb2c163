import { describe, expect, it } from "vitest";
import type { Cluster } from "./cluster.ts";
import { type DestinationRef, destinationOfStored, indexClusters, resolveDestination } from "./destination.ts";

const cluster = (name: string, server: string): Cluster => ({ name, server, labels: {}, annotations: {} });
const index = indexClusters([
  cluster("prod", "https://prod.example:6443"),
  cluster("dev", "https://dev.example:6443/"),
  cluster("twin-a", "https://twin.example"),
  cluster("twin-b", "https://twin.example"),
]);

describe("resolveDestination", () => {
  it.each<[string, DestinationRef, string]>([
    ["a registered name", { cluster: "prod" }, "prod"],
    ["a registered server", { server: "https://prod.example:6443" }, "prod"],
    ["a server with a trailing '/'", { server: "https://prod.example:6443/" }, "prod"],
    ["a server registered with a trailing '/'", { server: "https://dev.example:6443" }, "dev"],
    ["name and server that agree", { cluster: "prod", server: "https://prod.example:6443" }, "prod"],
    ["an empty name beside a server", { cluster: "", server: "https://prod.example:6443" }, "prod"],
    ["a name beside an empty server", { cluster: "dev", server: "" }, "dev"],
  ])("resolves %s to the registered name", (_, dest, name) => {
    expect(resolveDestination(dest, index)).toEqual({ ok: true, cluster: name });
  });

  it.each<[string, DestinationRef, string, string]>([
    [
      "an unregistered name",
      { cluster: "staging" },
      "spec.destination.cluster",
      '"staging" is not a registered cluster',
    ],
    [
      "an unregistered server",
      { server: "https://gone.example" },
      "spec.destination.server",
      '"https://gone.example" is not the server of any registered cluster',
    ],
    [
      "a name and server that disagree",
      { cluster: "prod", server: "https://dev.example:6443" },
      "spec.destination.server",
      '"https://dev.example:6443" is not the server of cluster "prod" (registered with "https://prod.example:6443"); give destination.cluster or destination.server alone, or make them agree',
    ],
    [
      "a server two clusters share",
      { server: "https://twin.example" },
      "spec.destination.server",
      '"https://twin.example" is the server of clusters "twin-a" and "twin-b"; address the Application by destination.cluster instead',
    ],
    [
      "neither",
      { cluster: "", server: "" },
      "spec.destination.cluster",
      "expected destination.cluster (a registered cluster name) or destination.server",
    ],
    ["a different scheme", { server: "http://prod.example:6443" }, "spec.destination.server", "is not the server"],
  ])("refuses %s, naming the value", (_, dest, field, message) => {
    const result = resolveDestination(dest, index);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toContain(message);
  });
});

describe("destinationOfStored", () => {
  it("keeps the recorded name even once its cluster left the registry", () => {
    expect(destinationOfStored({ cluster: "removed", server: "https://x" }, index)).toEqual({
      ok: true,
      cluster: "removed",
    });
  });

  it("resolves an Application stored by server only", () => {
    expect(destinationOfStored({ server: "https://prod.example:6443" }, index)).toEqual({ ok: true, cluster: "prod" });
    expect(destinationOfStored({ server: "https://gone.example" }, index).ok).toBe(false);
  });

  it("refuses a recorded name no queue can be derived from", () => {
    expect(destinationOfStored({ cluster: "https://prod.example:6443" }, index)).toMatchObject({
      ok: false,
      field: "spec.destination.cluster",
    });
  });
});
