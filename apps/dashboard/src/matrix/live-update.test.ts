import { describe, expect, it } from "vitest";
import type { AppSummary, FleetMatrix } from "../api/types.ts";
import { planRefresh, withCellApplications } from "./live-update.ts";

const matrix: FleetMatrix = {
  generatedAt: "2026-12-01T15:00:00.000Z",
  columns: [
    { name: "alpha", labels: {}, reachable: true },
    { name: "beta", labels: {}, reachable: null },
  ],
  rows: [{ appSet: "guestbook", cells: "SH..", multi: {} }],
  totals: { applications: 1, sync: { Synced: 1 }, health: { Healthy: 1 } },
};

const app = (over: Partial<AppSummary>): AppSummary => ({
  appSet: "guestbook",
  application: "guestbook-alpha",
  cluster: "alpha",
  sync: "Synced",
  health: "Healthy",
  lastSyncAt: "2026-12-01T15:00:00.000Z",
  resourceCount: 1,
  driftedCount: 0,
  ...over,
});
const noFilters = { sync: [], health: [] };

describe("withCellApplications", () => {
  it("redraws a cell from its Applications: the worst, and how many", () => {
    const next = withCellApplications(matrix, {
      ref: { appSet: "guestbook", cluster: "alpha" },
      applications: [app({ sync: "OutOfSync" }), app({ application: "b", health: "Degraded" })],
      filters: noFilters,
    });
    expect(next.rows[0]).toEqual({ appSet: "guestbook", cells: "OD..", multi: { "0": 2 } });
    expect(matrix.rows[0]!.cells).toBe("SH..");
  });
  it("fills an empty cell and empties one whose Applications are gone", () => {
    const filled = withCellApplications(matrix, {
      ref: { appSet: "guestbook", cluster: "beta" },
      applications: [app({ cluster: "beta", health: "Progressing" })],
      filters: noFilters,
    });
    expect(filled.rows[0]!.cells).toBe("SHSP");
    const emptied = withCellApplications(filled, {
      ref: { appSet: "guestbook", cluster: "alpha" },
      applications: [],
      filters: noFilters,
    });
    expect(emptied.rows[0]!.cells).toBe("..SP");
  });
  it("leaves out Applications the status filters do not pass, and those of other cells", () => {
    const next = withCellApplications(matrix, {
      ref: { appSet: "guestbook", cluster: "alpha" },
      applications: [
        app({ sync: "OutOfSync" }),
        app({ cluster: "beta", sync: "Error" }),
        app({ appSet: "x", sync: "Error" }),
      ],
      filters: { sync: ["Synced"], health: [] },
    });
    expect(next.rows[0]!.cells).toBe("....");
  });
  it("returns the same matrix when nothing changed or the cell is not drawn", () => {
    const same = withCellApplications(matrix, {
      ref: { appSet: "guestbook", cluster: "alpha" },
      applications: [app({})],
      filters: noFilters,
    });
    expect(same).toBe(matrix);
    expect(
      withCellApplications(matrix, {
        ref: { appSet: "nope", cluster: "alpha" },
        applications: [app({})],
        filters: noFilters,
      }),
    ).toBe(matrix);
  });
});

describe("planRefresh", () => {
  it("reads the changed cells when they are few and drawn", () => {
    expect(planRefresh(matrix, [{ appSet: "guestbook", cluster: "beta" }], { maxCellReads: 5 })).toEqual({
      kind: "cells",
      cells: [{ appSet: "guestbook", cluster: "beta" }],
    });
  });
  it("re-reads the matrix for a new row or column, or too many cells", () => {
    expect(planRefresh(matrix, [{ appSet: "new", cluster: "alpha" }], { maxCellReads: 5 }).kind).toBe("reload");
    expect(planRefresh(matrix, [{ appSet: "guestbook", cluster: "gamma" }], { maxCellReads: 5 }).kind).toBe("reload");
    const many = Array.from({ length: 6 }, () => ({ appSet: "guestbook", cluster: "alpha" }));
    expect(planRefresh(matrix, many, { maxCellReads: 5 }).kind).toBe("reload");
  });
});
