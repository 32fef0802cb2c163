import type { AppSetSummary, DiffItem } from "@flotilla/api-contract/types";
import { describe, expect, it } from "vitest";
import { appSetTable, diffReport } from "./appset-views.ts";

const summary = (over: Partial<AppSetSummary>): AppSetSummary => ({
  name: "shop",
  file: "appsets/shop.yaml",
  commit: "0123456789abcdef0123",
  lastGeneration: "2026-12-01T10:00:00.000Z",
  counts: { applications: 8, creates: 0, updates: 0, deletes: 0, unchanged: 8, errors: 0 },
  held: 0,
  removed: false,
  frozen: false,
  ...over,
});

describe("appSetTable", () => {
  it("prints one line per ApplicationSet with its status, worst first", () => {
    expect(
      appSetTable([
        summary({}),
        summary({ name: "blog", held: 3 }),
        summary({ name: "old", removed: true, held: 2 }),
        summary({ name: "broken", frozen: true, generatorError: "git down" }),
        summary({
          name: "edge",
          counts: { applications: 2, creates: 0, updates: 0, deletes: 0, unchanged: 2, errors: 1 },
        }),
      ]),
    ).toBe(
      [
        "NAME     FILE                COMMIT         APPLICATIONS   ERRORS   HELD   LAST GENERATION            STATUS",
        "shop     appsets/shop.yaml   0123456789ab   8              0        0      2026-12-01T10:00:00.000Z   OK",
        "blog     appsets/shop.yaml   0123456789ab   8              0        3      2026-12-01T10:00:00.000Z   Held",
        "old      appsets/shop.yaml   0123456789ab   8              0        2      2026-12-01T10:00:00.000Z   Removed",
        "broken   appsets/shop.yaml   0123456789ab   8              0        0      2026-12-01T10:00:00.000Z   Frozen",
        "edge     appsets/shop.yaml   0123456789ab   2              1        0      2026-12-01T10:00:00.000Z   Errors",
      ].join("\n"),
    );
  });
});

describe("diffReport", () => {
  it("prints change lines and a summary on stdout, failures on stderr", () => {
    const item: DiffItem = {
      appSet: "shop",
      file: "shop.yaml",
      line: 1,
      stored: true,
      creates: [{ application: "e-a", cluster: "a" }],
      updates: [{ application: "w-a", cluster: "a", fields: ["spec.source.targetRevision", "metadata.labels.team"] }],
      deletes: [
        { application: "d-a", cluster: "a", held: false },
        { application: "x-b", held: true },
      ],
      unchanged: 3,
      errors: [{ appSet: "shop", element: 4, params: "app=z", message: "missing param" }],
      held: { count: 1, reason: "over the guard" },
    };
    expect(diffReport([item])).toEqual({
      stdout: [
        "ApplicationSet shop (shop.yaml:1)",
        "+ create e-a on a",
        "~ update w-a on a (spec.source.targetRevision, metadata.labels.team)",
        "- delete d-a on a",
        "- delete x-b on (unknown cluster) (held by the deletion guard)",
        "held: over the guard",
        "shop: 1 to create, 1 to update, 1 to delete, 1 held, 3 unchanged, 1 element error(s)",
        "",
      ].join("\n"),
      stderr: 'error: shop.yaml:1: ApplicationSet "shop": element 4 [app=z]: missing param\n',
    });
  });
});
