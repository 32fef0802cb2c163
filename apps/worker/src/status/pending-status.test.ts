import type { DriftEntry, HealthReport } from "@flotilla/kube";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { pendingStatus } from "./pending-status.ts";

const ref = { cluster: "dev", appSet: "set", application: "web" };
const at = new Date("2026-03-15T12:03:00Z");
const commit = "c".repeat(40);

const missing: HealthReport = {
  objects: [
    { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", verdict: { status: "Missing", message: "not found" } },
  ],
  aggregate: { status: "Missing", message: "1 object missing" },
};

describe("pendingStatus (manual sync policy, nothing applied)", () => {
  it("a first look: OutOfSync, the object would be created, nothing recorded as applied", () => {
    const drift: DriftEntry[] = [
      { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", drifted: true, paths: ["(object missing)"] },
    ];
    const status = pendingStatus({ ref, last: undefined, drift, health: missing, stale: [], commit, at });
    expect(status).toEqual({
      ...ref,
      sync: "OutOfSync",
      health: "Missing",
      healthMessage: "1 object missing",
      lastSyncAt: at.toISOString(),
      resources: [
        {
          id: "/ConfigMap/ns/cfg",
          action: "skipped",
          health: "Missing",
          message: "not applied: the sync policy is manual",
          drift: ["(object missing)"],
        },
      ],
      syncMessage: `manual sync policy: 1 object(s) differ from Git at ${commit.slice(0, 12)}; applied only when a sync is requested`,
    });
    expect(status.revision).toBeUndefined();
  });

  it("after a sync: what was applied stays, a changed field and a stale object keep it OutOfSync", () => {
    const last: AppStatus = {
      ...ref,
      sync: "Synced",
      health: "Healthy",
      revision: "a".repeat(40),
      bundleDigest: "sha256:1",
      desiredDigest: "h1",
      lastSyncAt: "2026-03-15T12:00:00.000Z",
      resources: [],
      lastError: { reason: "ApplyFailed", message: "old", at: "2026-03-15T11:00:00.000Z", retrying: false },
    };
    const drift: DriftEntry[] = [
      {
        id: "/ConfigMap/ns/cfg",
        subject: "ConfigMap/ns/cfg",
        drifted: true,
        paths: ["data.value"],
        differences: [{ path: "data.value", desired: '"1"', live: '"edited"' }],
      },
    ];
    const health: HealthReport = {
      objects: [
        { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", verdict: { status: "Healthy", message: "exists" } },
      ],
      aggregate: { status: "Healthy", message: "1 object healthy" },
    };
    const stale = [{ id: "/ConfigMap/ns/old", version: "v1" }];
    const status = pendingStatus({ ref, last, drift, health, stale, commit, at });
    expect(status).toMatchObject({
      sync: "OutOfSync",
      revision: last.revision,
      bundleDigest: "sha256:1",
      desiredDigest: "h1",
    });
    expect(status.lastError).toBeUndefined();
    expect(status.resources.map((r) => [r.id, r.action, r.drift])).toEqual([
      ["/ConfigMap/ns/cfg", "skipped", ["data.value"]],
      ["/ConfigMap/ns/old", "stale", undefined],
    ]);
    expect(status.resources[0]?.diff).toEqual([{ path: "data.value", desired: '"1"', live: '"edited"' }]);
    expect(status.syncMessage).toMatch(/^manual sync policy: 2 object\(s\) differ/);
  });

  it("Synced, without a message, when the cluster already is as Git says", () => {
    const drift: DriftEntry[] = [{ id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", drifted: false, paths: [] }];
    const health: HealthReport = {
      objects: [
        { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", verdict: { status: "Healthy", message: "exists" } },
      ],
      aggregate: { status: "Healthy", message: "1 object healthy" },
    };
    const status = pendingStatus({ ref, last: undefined, drift, health, stale: [], commit, at });
    expect(status.sync).toBe("Synced");
    expect(status.syncMessage).toBeUndefined();
    expect(status.resources).toEqual([
      { id: "/ConfigMap/ns/cfg", action: "unchanged", health: "Healthy", message: "exists" },
    ]);
  });
});
