import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { clustersToRead, compareApps, decodeCursor, encodeCursor, mayMatch, pageItemsOf } from "./page.ts";

const status = (cluster: string, appSet: string, application: string, more: Partial<AppStatus> = {}): AppStatus => ({
  cluster,
  appSet,
  application,
  sync: "Synced",
  health: "Healthy",
  lastSyncAt: "2026-12-01T00:00:00.000Z",
  resources: [],
  ...more,
});

describe("the listing order and its cursor", () => {
  it("orders by cluster, then ApplicationSet, then name, by code unit (not locale)", () => {
    const sorted = [status("b", "x", "a"), status("a", "y", "a"), status("a", "x", "b"), status("a", "X", "z")].sort(
      compareApps,
    );
    expect(sorted.map((s) => `${s.cluster}/${s.appSet}/${s.application}`)).toEqual([
      "a/X/z",
      "a/x/b",
      "a/y/a",
      "b/x/a",
    ]);
  });

  it("a cursor names a position and decodes to it", () => {
    const position = { cluster: "prod-1", appSet: "shop", application: "web" };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ["not base64url", "a+b/c="],
    ["base64 of garbage", Buffer.from("{not json").toString("base64url")],
    ["an object, not the triple", Buffer.from('{"cluster":"a"}').toString("base64url")],
    ["a triple with a number", Buffer.from('["a","b",3]').toString("base64url")],
    ["an empty name", Buffer.from('["a","","c"]').toString("base64url")],
    ["a __proto__ payload", Buffer.from('{"__proto__":{"x":1}}').toString("base64url")],
    ["too long", "a".repeat(5000)],
  ])("refuses %s", (_why, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});

describe("pageItemsOf", () => {
  const statuses = [
    status("c", "shop", "web", { sync: "OutOfSync" }),
    status("c", "shop", "api", { health: "Degraded" }),
    status("c", "blog", "web"),
  ];

  it("keeps what every filter allows, in order", () => {
    expect(pageItemsOf(statuses, { clusters: [] }).map((s) => s.application)).toEqual(["web", "api", "web"]);
    expect(pageItemsOf(statuses, { clusters: [], appSet: "shop" }).map((s) => s.application)).toEqual(["api", "web"]);
    expect(pageItemsOf(statuses, { clusters: [], sync: "OutOfSync" }).map((s) => s.appSet)).toEqual(["shop"]);
    expect(pageItemsOf(statuses, { clusters: [], appSet: "shop", health: "Degraded" })).toHaveLength(1);
    expect(pageItemsOf(statuses, { clusters: [], appSet: "blog", health: "Degraded" })).toEqual([]);
  });

  it("starts strictly after the cursor", () => {
    const after = { cluster: "c", appSet: "shop", application: "api" };
    expect(pageItemsOf(statuses, { clusters: [] }, after).map((s) => `${s.appSet}/${s.application}`)).toEqual([
      "shop/web",
    ]);
  });
});

describe("clustersToRead", () => {
  it("reads the filter's clusters (sorted, once each) or else every registered one, from the cursor's on", () => {
    expect(clustersToRead(["b", "a", "c"], { clusters: [] })).toEqual(["a", "b", "c"]);
    expect(clustersToRead(["b", "a", "c"], { clusters: ["c", "a", "c"] })).toEqual(["a", "c"]);
    expect(clustersToRead(["b", "a", "c"], { clusters: [] }, { cluster: "b", appSet: "x", application: "y" })).toEqual([
      "b",
      "c",
    ]);
  });
});

describe("mayMatch", () => {
  const entry = (s: AppStatus) => [`${s.appSet}/${s.application}`, JSON.stringify(s)] as const;

  it("never rules out a status the filter keeps, and rules out what cannot match before parsing", () => {
    const statuses = [
      status("c", "shop", "web", { sync: "OutOfSync", health: "Degraded" }),
      status("c", "shop", "api"),
      status("c", "shopfront", "web", { sync: "OutOfSync" }),
      status("c", "blog", "x", { resources: [{ id: "/ConfigMap/n/a", action: "unchanged", health: "Degraded" }] }),
    ];
    const filters = [
      { clusters: [], appSet: "shop" },
      { clusters: [], sync: "OutOfSync" as const },
      { clusters: [], health: "Degraded" as const },
      { clusters: [], appSet: "shop", sync: "OutOfSync" as const, health: "Degraded" as const },
    ];
    for (const filter of filters) {
      const keep = mayMatch(filter)!;
      const kept = statuses.filter((s) => keep(...entry(s)));
      expect(pageItemsOf(kept, filter)).toEqual(pageItemsOf(statuses, filter));
    }
    expect(mayMatch({ clusters: [], appSet: "shop" })!(...entry(statuses[2]!))).toBe(false);
    expect(mayMatch({ clusters: [], sync: "OutOfSync" })!(...entry(statuses[1]!))).toBe(false);
    expect(mayMatch({ clusters: [] })).toBeUndefined();
  });
});
