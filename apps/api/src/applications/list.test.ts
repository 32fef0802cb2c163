import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { type ListDeps, listApplications } from "./list.ts";
import { decodeCursor } from "./page.ts";

const CLUSTERS = Array.from({ length: 150 }, (_, i) => `c-${String(i).padStart(3, "0")}`);

/** A fleet in memory behind the listing's interface, counting the clusters each read asked for. */
function fleet(perCluster: number) {
  const reads: string[][] = [];
  const deps: ListDeps = {
    clusterNames: async () => [...CLUSTERS].reverse(),
    status: {
      listClusters: async (clusters) => {
        reads.push([...clusters]);
        return clusters.map((cluster) =>
          Array.from(
            { length: perCluster },
            (_, a): AppStatus => ({
              cluster,
              appSet: "shop",
              application: `app-${a}`,
              sync: a === 0 && cluster === "c-140" ? "OutOfSync" : "Synced",
              health: "Healthy",
              lastSyncAt: "2026-12-01T00:00:00.000Z",
              resources: [],
            }),
          ).reverse(),
        );
      },
    },
  };
  return { deps, reads };
}

describe("listApplications", () => {
  it("a small first page reads only the first clusters, and its cursor names its last item", async () => {
    const { deps, reads } = fleet(50);
    const page = await listApplications(deps, { filter: { clusters: [] }, limit: 100 });
    expect(page.items).toHaveLength(100);
    expect(reads).toEqual([["c-000", "c-001", "c-002", "c-003"]]);
    expect(decodeCursor(page.next ?? "")).toEqual({ cluster: "c-001", appSet: "shop", application: "app-9" });
  });

  it("walking the cursors yields every Application once, in order, with no next after the last", async () => {
    const { deps } = fleet(7);
    const seen: string[] = [];
    let after: ReturnType<typeof decodeCursor>;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await listApplications(deps, {
        filter: { clusters: [] },
        limit: 33,
        ...(after !== undefined && { after }),
      });
      seen.push(...page.items.map((s) => `${s.cluster}/${s.application}`));
      if (page.next === undefined) break;
      after = decodeCursor(page.next);
    }
    const want = CLUSTERS.flatMap((c) => Array.from({ length: 7 }, (_, a) => `${c}/app-${a}`).sort());
    expect(seen).toEqual(want);
  });

  it("a filter that matches little reads on in growing batches, and answers without a next", async () => {
    const { deps, reads } = fleet(5);
    const page = await listApplications(deps, { filter: { clusters: [], sync: "OutOfSync" }, limit: 100 });
    expect(page).toEqual({ items: [expect.objectContaining({ cluster: "c-140", application: "app-0" })] });
    expect(reads.map((r) => r.length)).toEqual([4, 8, 16, 32, 64, 26]);
  });
});
