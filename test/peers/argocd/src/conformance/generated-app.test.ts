import { describe, expect, it } from "vitest";
import { byName, fromArgoApplication, fromFlotillaPreview } from "./generated-app.ts";

const servers = new Map([["https://127.0.0.1:7001", "bravo"]]);
const source = { repoURL: "http://r/fleet.git", path: "apps/a", targetRevision: "HEAD" };

describe("fromArgoApplication", () => {
  it("resolves a server destination to the cluster registered with that URL", () => {
    const app = {
      metadata: { name: "a", labels: { team: "x" } },
      spec: { project: "default", source, destination: { server: "https://127.0.0.1:7001", namespace: "n" } },
    };
    expect(fromArgoApplication(app, servers)).toEqual({
      name: "a",
      cluster: "bravo",
      namespace: "n",
      ...source,
      labels: { team: "x" },
    });
  });

  it("takes a name destination as it is, and the first of several sources", () => {
    const app = {
      metadata: { name: "a" },
      spec: { project: "default", sources: [source], destination: { name: "charlie", namespace: "n" } },
    };
    expect(fromArgoApplication(app, servers)).toMatchObject({ cluster: "charlie", path: "apps/a", labels: {} });
  });

  it("fails naming the Application when its server is no registered cluster", () => {
    const app = { metadata: { name: "a" }, spec: { project: "default", source, destination: { server: "https://x" } } };
    expect(() => fromArgoApplication(app, servers)).toThrow(
      "Application a: destination server https://x is no registered cluster",
    );
  });
});

describe("fromFlotillaPreview", () => {
  it("drops only Flotilla's owner label", () => {
    const app = {
      metadata: { name: "a", labels: { "flotilla.dev/appset": "s", team: "x" } },
      spec: { source, destination: { cluster: "bravo", namespace: "n" } },
    };
    expect(fromFlotillaPreview(app)).toEqual({
      name: "a",
      cluster: "bravo",
      namespace: "n",
      ...source,
      labels: { team: "x" },
    });
  });
});

describe("byName", () => {
  it("orders by name without changing its input", () => {
    const input = [{ name: "b" }, { name: "a" }] as unknown as Parameters<typeof byName>[0];
    expect(byName(input).map((a) => a.name)).toEqual(["a", "b"]);
    expect(input.map((a) => a.name)).toEqual(["b", "a"]);
  });
});
