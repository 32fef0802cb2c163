import { type ApplicationDiff, type DestinationRef, indexClusters } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { routeDeletes } from "./delete-routes.ts";

const clusters = indexClusters([{ name: "prod", server: "https://prod", labels: {}, annotations: {} }]);
const diff = (deletes: string[], held?: ApplicationDiff["held"]): ApplicationDiff => ({
  creates: [],
  updates: [],
  deletes,
  unchanged: [],
  ...(held !== undefined && { held }),
});

describe("routeDeletes", () => {
  it("routes by the recorded name, or by server for an Application stored without one", () => {
    const stored = new Map<string, DestinationRef>([
      ["a", { cluster: "prod" }],
      ["b", { server: "https://prod/" }],
      ["c", { cluster: "removed-since", server: "https://old" }],
    ]);
    const routes = routeDeletes(diff(["a", "b", "c"]), stored, clusters);
    expect(routes.diff).toEqual(diff(["a", "b", "c"]));
    expect([...routes.clusters]).toEqual([
      ["a", "prod"],
      ["b", "prod"],
      ["c", "removed-since"],
    ]);
  });

  it("holds a delete whose cluster cannot be known, saying why, and routes the rest", () => {
    const stored = new Map<string, DestinationRef>([
      ["a", { cluster: "prod" }],
      ["lost", { server: "https://gone" }],
    ]);
    const routes = routeDeletes(diff(["a", "lost"]), stored, clusters);
    expect(routes.diff.deletes).toEqual(["a"]);
    expect(routes.diff.held).toEqual({
      deletes: ["lost"],
      reason:
        'cannot route the delete of 1 Application(s): "lost" spec.destination.server: "https://gone" is not the server of any registered cluster; held until its cluster is registered again',
    });
    expect([...routes.clusters]).toEqual([["a", "prod"]]);
  });

  it("adds to what the deletion guard already holds", () => {
    const stored = new Map<string, DestinationRef>([["lost", { server: "https://gone" }]]);
    const routes = routeDeletes(diff(["lost"], { deletes: ["x"], reason: "guard" }), stored, clusters);
    expect(routes.diff.held?.deletes).toEqual(["x", "lost"]);
    expect(routes.diff.held?.reason).toMatch(/^guard; cannot route the delete of 1 Application\(s\)/);
  });
});
