import { describe, expect, it } from "vitest";
import { fleetMatrix, type MatrixApplication, type MatrixColumn } from "./fleet-matrix.ts";
import { matrixApplicationsOf } from "./matrix-applications.ts";

const column = (name: string, labels: Record<string, string> = {}, reachable: boolean | null = true): MatrixColumn => ({
  name,
  labels,
  reachable,
});
const app = (
  appSet: string,
  application: string,
  sync: MatrixApplication["sync"],
  health: MatrixApplication["health"],
) => ({ appSet, application, sync, health }) as MatrixApplication;

const fleet = [
  {
    column: column("beta", { env: "prod" }),
    applications: [app("guestbook", "gb-beta", "Synced", "Healthy"), app("shop", "shop-beta", "OutOfSync", "Degraded")],
  },
  {
    column: column("alpha", { env: "dev" }, null),
    applications: [
      app("guestbook", "gb-alpha", "Synced", "Healthy"),
      app("guestbook", "gb-alpha-2", "Error", "Progressing"),
      app("guestbook", "gb-alpha-3", "Synced", "Missing"),
    ],
  },
  { column: column("gamma"), applications: [] },
];

describe("fleetMatrix", () => {
  it("draws ApplicationSets × clusters sorted by name, two letters a cell, counts only for multi-cells", () => {
    expect(fleetMatrix({ generatedAt: "2026-12-01T15:00:00.000Z", clusters: fleet })).toEqual({
      generatedAt: "2026-12-01T15:00:00.000Z",
      columns: [column("alpha", { env: "dev" }, null), column("beta", { env: "prod" }), column("gamma")],
      rows: [
        { appSet: "guestbook", cells: "EMSH..", multi: { "0": 3 } },
        { appSet: "shop", cells: "..OD..", multi: {} },
      ],
      totals: {
        applications: 5,
        sync: { Synced: 3, Error: 1, OutOfSync: 1 },
        health: { Healthy: 2, Progressing: 1, Missing: 1, Degraded: 1 },
      },
    });
  });

  it.each([
    // worst sync: Error > OutOfSync > Unknown > Synced
    [["Synced", "Unknown"], "U"],
    [["Unknown", "OutOfSync"], "O"],
    [["OutOfSync", "Error", "Synced"], "E"],
    [["Synced", "Synced"], "S"],
  ] as const)("the worst sync of %j is %s", (syncs, letter) => {
    const applications = syncs.map((s, i) => app("a", `a${i}`, s, "Healthy"));
    const { rows } = fleetMatrix({ generatedAt: "t", clusters: [{ column: column("c"), applications }] });
    expect(rows[0]?.cells).toBe(`${letter}H`);
  });

  it.each([
    // worst health: Degraded > Missing > Unknown > Progressing > Healthy
    [["Healthy", "Progressing"], "P"],
    [["Progressing", "Unknown"], "U"],
    [["Unknown", "Missing", "Healthy"], "M"],
    [["Missing", "Degraded"], "D"],
    [["Healthy"], "H"],
  ] as const)("the worst health of %j is %s", (healths, letter) => {
    const applications = healths.map((h, i) => app("a", `a${i}`, "Synced", h));
    const { rows } = fleetMatrix({ generatedAt: "t", clusters: [{ column: column("c"), applications }] });
    expect(rows[0]?.cells).toBe(`S${letter}`);
  });

  it("keeps every chosen column and every known ApplicationSet's row when nothing filters by verdict", () => {
    const matrix = fleetMatrix({ generatedAt: "t", clusters: fleet, knownAppSets: ["broken", "shop"] });
    expect(matrix.rows.map((r) => [r.appSet, r.cells])).toEqual([
      ["broken", "......"],
      ["guestbook", "EMSH.."],
      ["shop", "..OD.."],
    ]);
  });

  it("chooses rows by ApplicationSet, keeping the columns", () => {
    const matrix = fleetMatrix({ generatedAt: "t", clusters: fleet, appSets: new Set(["shop"]), knownAppSets: ["x"] });
    expect(matrix.columns.map((c) => c.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(matrix.rows).toEqual([{ appSet: "shop", cells: "..OD..", multi: {} }]);
    expect(matrix.totals).toEqual({ applications: 1, sync: { OutOfSync: 1 }, health: { Degraded: 1 } });
  });

  it("a sync filter leaves other Applications out of cells and totals and drops emptied rows and columns", () => {
    const matrix = fleetMatrix({ generatedAt: "t", clusters: fleet, sync: new Set(["Synced"]), knownAppSets: ["x"] });
    expect(matrix.columns.map((c) => c.name)).toEqual(["alpha", "beta"]);
    expect(matrix.rows).toEqual([{ appSet: "guestbook", cells: "SMSH", multi: { "0": 2 } }]);
    expect(matrix.totals).toEqual({ applications: 3, sync: { Synced: 3 }, health: { Healthy: 2, Missing: 1 } });
  });

  it("a health filter works alike, several values OR-ed, combined with sync by AND", () => {
    const healthOnly = fleetMatrix({ generatedAt: "t", clusters: fleet, health: new Set(["Degraded", "Progressing"]) });
    expect(healthOnly.columns.map((c) => c.name)).toEqual(["alpha", "beta"]);
    expect(healthOnly.rows).toEqual([
      { appSet: "guestbook", cells: "EP..", multi: {} },
      { appSet: "shop", cells: "..OD", multi: {} },
    ]);
    const both = fleetMatrix({
      generatedAt: "t",
      clusters: fleet,
      health: new Set(["Degraded", "Progressing"]),
      sync: new Set(["Error"]),
    });
    expect(both.columns.map((c) => c.name)).toEqual(["alpha"]);
    expect(both.rows).toEqual([{ appSet: "guestbook", cells: "EP", multi: {} }]);
    const none = fleetMatrix({ generatedAt: "t", clusters: fleet, sync: new Set(["Unknown"]) });
    expect(none).toEqual({
      generatedAt: "t",
      columns: [],
      rows: [],
      totals: { applications: 0, sync: {}, health: {} },
    });
  });

  it("draws 1,000 × 50 with one string per row of 2,000 letters", () => {
    const clusters = Array.from({ length: 1000 }, (_, c) => ({
      column: column(`c${String(c).padStart(4, "0")}`),
      applications: Array.from({ length: 50 }, (_, a) => app(`set-${a}`, `app-${a}-${c}`, "Synced", "Healthy")),
    }));
    const matrix = fleetMatrix({ generatedAt: "t", clusters });
    expect(matrix.rows).toHaveLength(50);
    expect(matrix.rows.every((r) => r.cells === "SH".repeat(1000) && Object.keys(r.multi).length === 0)).toBe(true);
    expect(matrix.totals.applications).toBe(50_000);
  });
});

describe("matrixApplicationsOf", () => {
  it("adds owned names without a status as Unknown/Unknown, once", () => {
    expect(
      matrixApplicationsOf([{ appSet: "guestbook", application: "gb", sync: "Synced", health: "Healthy" }], {
        gb: "guestbook",
        fresh: "guestbook",
        other: "shop",
      }),
    ).toEqual([
      app("guestbook", "gb", "Synced", "Healthy"),
      app("guestbook", "fresh", "Unknown", "Unknown"),
      app("shop", "other", "Unknown", "Unknown"),
    ]);
  });

  it("reads a verdict it does not know as Unknown rather than dropping the Application", () => {
    const stored = [{ appSet: "a", application: "x", sync: "Bogus", health: "__proto__" }] as never;
    expect(matrixApplicationsOf(stored, {})).toEqual([app("a", "x", "Unknown", "Unknown")]);
  });

  it("keeps a status whose name another ApplicationSet now owns (a hand-over in progress) beside the new owner", () => {
    expect(
      matrixApplicationsOf([{ appSet: "old", application: "web", sync: "Synced", health: "Healthy" }], { web: "new" }),
    ).toEqual([app("old", "web", "Synced", "Healthy"), app("new", "web", "Unknown", "Unknown")]);
  });
});
