import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { advancedStatus, alreadyApplied } from "./already-applied.ts";

const last: AppStatus = {
  appSet: "set",
  application: "web",
  cluster: "dev",
  sync: "Synced",
  health: "Healthy",
  revision: "c1",
  fleetRevision: "f1",
  bundleDigest: "sha256:1",
  desiredDigest: "spec.1",
  lastSyncAt: "2026-03-15T12:00:00.000Z",
  resources: [{ id: "/ConfigMap/ns/cfg", action: "configured", health: "Healthy" }],
};

const wanted = { revision: "c2", bundleDigest: "sha256:1", desiredDigest: "spec.1" };

describe("alreadyApplied", () => {
  it.each([
    ["a new commit, the same bundle and spec", last, wanted, true],
    ["no status yet", undefined, wanted, false],
    ["the same commit (a re-sync: the drift check decides)", last, { ...wanted, revision: "c1" }, false],
    ["another bundle", last, { ...wanted, bundleDigest: "sha256:2" }, false],
    ["another spec, the same bundle (sync options may differ)", last, { ...wanted, desiredDigest: "spec2.1" }, false],
    ["the last sync found drift", { ...last, sync: "OutOfSync" as const }, wanted, false],
    ["the last sync failed", { ...last, sync: "Error" as const }, wanted, false],
    [
      "an error is still on the status",
      {
        ...last,
        lastError: { reason: "HealthCheckFailed" as const, message: "x", at: last.lastSyncAt, retrying: true },
      },
      wanted,
      false,
    ],
  ])("%s → %s", (_what, status, job, expected) => {
    expect(alreadyApplied(status, job)).toBe(expected);
  });
});

describe("advancedStatus", () => {
  it("moves the revisions and keeps what the cluster was last seen to hold", () => {
    const next = advancedStatus(last, { revision: "c2", fleetRevision: "f2" });
    expect(next).toEqual({ ...last, revision: "c2", fleetRevision: "f2" });
    expect(next.lastSyncAt).toBe(last.lastSyncAt);
    expect(next.resources).toEqual(last.resources);
    expect(last.revision).toBe("c1");
  });
});
