import { describe, expect, it } from "vitest";
import { previewRows } from "./preview-rows.ts";
import { instantOf, resourceParts, resourceSync } from "./resources.ts";

describe("resources", () => {
  it("splits resource ids", () => {
    expect(resourceParts("apps/Deployment/web/guestbook")).toEqual({
      group: "apps",
      kind: "Deployment",
      namespace: "web",
      name: "guestbook",
    });
    expect(resourceParts("/Namespace//web")).toEqual({ group: "", kind: "Namespace", namespace: "", name: "web" });
    expect(resourceParts("odd")).toEqual({ group: "", kind: "odd", namespace: "", name: "" });
  });
  it("a resource's sync: drift or a diff is OutOfSync, stale left Git", () => {
    expect(resourceSync({ action: "unchanged" })).toBe("Synced");
    expect(resourceSync({ action: "unchanged", drift: ["spec.replicas"] })).toBe("OutOfSync");
    expect(resourceSync({ action: "configured", diff: [{ path: "data.x" }] })).toBe("OutOfSync");
    expect(resourceSync({ action: "stale" })).toBe("NotInGit");
  });
  it("a datetime-local value becomes an instant; anything else none", () => {
    expect(instantOf("2026-12-01T15:00")).toBe(new Date("2026-12-01T15:00").toISOString());
    for (const bad of ["", "yesterday", "2026-13-45T99:99", "2026-12-01", "2026-12-01T15:00Z"]) {
      expect(instantOf(bad)).toBeUndefined();
    }
  });
  it("preview rows read what a document has, empty for what it lacks or gets wrong", () => {
    expect(
      previewRows([
        {
          metadata: { name: "gb-dev" },
          spec: {
            destination: { cluster: "dev", namespace: "gb" },
            source: { repoURL: "https://git/x", path: "apps/gb", targetRevision: "main" },
          },
        },
        { metadata: "nope", spec: [1] },
        null,
      ]),
    ).toEqual([
      { name: "gb-dev", cluster: "dev", namespace: "gb", source: "https://git/x apps/gb @ main" },
      { name: "", cluster: "", namespace: "", source: "" },
      { name: "", cluster: "", namespace: "", source: "" },
    ]);
  });
});
