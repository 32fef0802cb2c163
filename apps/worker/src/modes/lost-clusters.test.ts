import type { RegisteredCluster } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { lostPoolClusters, servablePoolClusters } from "./lost-clusters.ts";

const cluster = (name: string, mode: "pool" | "agent", hasCredentials: boolean): RegisteredCluster => ({
  name,
  server: `https://${name}.example:6443`,
  labels: {},
  annotations: {},
  mode,
  hasCredentials,
  updatedAt: "2026-12-01T00:00:00.000Z",
});

describe("lost pool clusters", () => {
  const before = [cluster("a", "pool", true), cluster("b", "pool", true), cluster("edge", "agent", false)];

  it("a pool worker serves pool clusters with credentials only", () => {
    expect(servablePoolClusters([...before, cluster("c", "pool", false)]).map((c) => c.name)).toEqual(["a", "b"]);
  });

  it.each<[string, RegisteredCluster[], string[]]>([
    ["everything lost", [], ["a", "b"]],
    ["one registered again", [cluster("a", "pool", true)], ["b"]],
    ["registered again without credentials", [cluster("a", "pool", false), cluster("b", "pool", true)], ["a"]],
    ["nothing lost", before, []],
  ])("%s", (_, now, lost) => {
    expect(lostPoolClusters(servablePoolClusters(before), now)).toEqual(
      lost.map((name) => ({ name, server: `https://${name}.example:6443` })),
    );
  });
});
