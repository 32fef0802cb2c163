import { describe, expect, it } from "vitest";
import { filtersFromQuery, NO_FILTERS, passesStatus, queryFromFilters } from "./filters.ts";

describe("filters ↔ URL query", () => {
  it("round-trips every field", () => {
    const f = {
      selector: "env=prod,tier!=db,region in (eu,us),!legacy,team",
      appSets: ["guestbook", "podinfo"],
      clusters: ["alpha", "beta.eu"],
      sync: ["OutOfSync" as const, "Error" as const],
      health: ["Degraded" as const],
    };
    const q = queryFromFilters(f);
    expect(q).toBe(
      "selector=env%3Dprod%2Ctier%21%3Ddb%2Cregion+in+%28eu%2Cus%29%2C%21legacy%2Cteam&appSet=guestbook%2Cpodinfo&cluster=alpha%2Cbeta.eu&sync=OutOfSync%2CError&health=Degraded",
    );
    expect(filtersFromQuery(`?${q}`)).toEqual(f);
  });

  it("an empty query is no filters, and no filters is an empty query", () => {
    expect(filtersFromQuery("")).toEqual(NO_FILTERS);
    expect(queryFromFilters(NO_FILTERS)).toBe("");
  });

  it("keeps statuses in the contract's order, so equal sets give equal URLs", () => {
    expect(filtersFromQuery("sync=Error,Synced").sync).toEqual(["Synced", "Error"]);
    expect(queryFromFilters(filtersFromQuery("sync=Error,Synced"))).toBe(
      queryFromFilters(filtersFromQuery("sync=Synced,Error")),
    );
  });

  it.each([
    ["unknown statuses", "sync=Bogus,Synced&health=healthy,<script>", { sync: ["Synced"], health: [] }],
    [
      "names that are not Kubernetes names",
      "appSet=ok,Bad_Name,../etc,%00x,,-lead&cluster=a%20b",
      { appSets: ["ok"], clusters: [] },
    ],
    ["a selector with a line break", "selector=env%3Dprod%0Ainjected", { selector: "" }],
    ["an over-long selector", `selector=${"a".repeat(2000)}`, { selector: "" }],
    ["repeated parameters beyond the first", "appSet=one&appSet=two", { appSets: ["one"] }],
    ["duplicate names", "appSet=a,a,b,a", { appSets: ["a", "b"] }],
    ["__proto__ and friends", "__proto__=x&constructor=y&appSet=__proto__", { appSets: [] }],
    ["broken percent-encoding", "appSet=%E0%A4%A&sync=%", { appSets: [], sync: [] }],
  ])("drops %s", (_what, query, expected) => {
    const f = filtersFromQuery(query);
    expect(f).toMatchObject(expected);
    expect(Object.keys(f).sort()).toEqual(["appSets", "clusters", "health", "selector", "sync"]);
  });

  it("keeps at most 100 names from a hostile list", () => {
    const many = Array.from({ length: 500 }, (_, i) => `n${i}`).join(",");
    expect(filtersFromQuery(`cluster=${many}`).clusters).toHaveLength(100);
  });

  it("passesStatus: an empty list passes all", () => {
    expect(passesStatus({ sync: [], health: [] }, { sync: "Error", health: "Degraded" })).toBe(true);
    expect(passesStatus({ sync: ["OutOfSync"], health: [] }, { sync: "Synced", health: "Healthy" })).toBe(false);
    expect(passesStatus({ sync: [], health: ["Healthy", "Degraded"] }, { sync: "Synced", health: "Degraded" })).toBe(
      true,
    );
  });
});
