import { describe, expect, it } from "vitest";
import { type ChangeSet, entryFor, failures, formatChangeSet, hasChanges } from "./changeset.ts";
import { healthOfApplied } from "./check-health.ts";
import { ObjectApplyFailed } from "./errors/object-apply-failed.ts";

const ref = (name: string) => ({ group: "", kind: "ConfigMap", namespace: "ns", name });

describe("ChangeSet", () => {
  const failed = new ObjectApplyFailed(ref("bad"), new Error("boom"));
  const set: ChangeSet = {
    entries: [
      entryFor(ref("a"), "v1", "unchanged"),
      entryFor(ref("b"), "v1", "skipped", { reason: "preserved by annotation" }),
      entryFor(ref("bad"), "v1", "skipped", { error: failed }),
    ],
  };

  it("formats one line per entry, failures with their reason", () => {
    expect(formatChangeSet(set)).toBe(
      [
        "ConfigMap/ns/a unchanged",
        "ConfigMap/ns/b skipped (preserved by annotation)",
        "ConfigMap/ns/bad failed: ConfigMap/ns/bad apply failed (boom)",
      ].join("\n"),
    );
  });

  it("lists failures and tells whether anything changed", () => {
    expect(failures(set).map((e) => e.id)).toEqual(["/ConfigMap/ns/bad"]);
    expect(hasChanges(set)).toBe(false);
    expect(hasChanges({ entries: [entryFor(ref("c"), "v1", "configured")] })).toBe(true);
  });
});

describe("healthOfApplied", () => {
  const ref = (name: string) => ({ group: "", kind: "ConfigMap", namespace: "ns", name });
  const healthy = { status: "Healthy" as const, message: "1 of 1 replicas available" };

  it("judges the Application from the verdicts the apply recorded, ignoring what it does not own", () => {
    const report = healthOfApplied({
      entries: [
        entryFor(ref("ns"), "v1", "unchanged", { owned: false }),
        entryFor(ref("a"), "v1", "created", { health: healthy }),
        entryFor(ref("b"), "v1", "configured", { health: { status: "Progressing", message: "0 of 1 available" } }),
      ],
    });
    expect(report?.objects.map((o) => o.id)).toEqual(["/ConfigMap/ns/a", "/ConfigMap/ns/b"]);
    expect(report?.aggregate.status).toBe("Progressing");
  });

  it("gives no answer when an applied object has no verdict (it failed), so the caller reads the cluster", () => {
    const report = healthOfApplied({
      entries: [
        entryFor(ref("a"), "v1", "created", { health: healthy }),
        entryFor(ref("b"), "v1", "skipped", { error: new ObjectApplyFailed(ref("b"), new Error("denied")) }),
      ],
    });
    expect(report).toBeUndefined();
  });
});
