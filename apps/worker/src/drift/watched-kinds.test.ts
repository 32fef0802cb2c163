import { describe, expect, it } from "vitest";
import { watchedKinds } from "./watched-kinds.ts";

describe("watchedKinds", () => {
  it("one per group and kind across Applications, sorted", () => {
    expect(
      watchedKinds([
        {
          entries: [
            { id: "apps/Deployment/a/web", version: "v1" },
            { id: "/ConfigMap/a/cfg", version: "v1" },
          ],
        },
        {
          entries: [
            { id: "/ConfigMap/b/other", version: "v1" },
            { id: "x.io/Widget/b/w", version: "v1beta1" },
          ],
        },
      ]),
    ).toEqual([
      { group: "", version: "v1", kind: "ConfigMap" },
      { group: "apps", version: "v1", kind: "Deployment" },
      { group: "x.io", version: "v1beta1", kind: "Widget" },
    ]);
  });

  it("nothing owned, nothing watched", () => {
    expect(watchedKinds([])).toEqual([]);
  });
});
