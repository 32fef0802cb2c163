import type { ChangeSet, HealthReport } from "@flotilla/kube";
import { describe, expect, it } from "vitest";
import { type SyncResult, statusOf } from "./status-of.ts";

const applied: ChangeSet = {
  entries: [
    { id: "apps/Deployment/ns/web", subject: "Deployment/ns/web", action: "configured", version: "v1", owned: true },
    { id: "//Namespace//ns", subject: "Namespace/ns", action: "created", version: "v1", owned: false },
  ],
};

const healthy: HealthReport = {
  objects: [
    {
      id: "apps/Deployment/ns/web",
      subject: "Deployment/ns/web",
      verdict: { status: "Healthy", message: "1 of 1 replicas available" },
    },
  ],
  aggregate: { status: "Healthy", message: "1 objects healthy" },
};

function result(overrides: Partial<SyncResult> = {}): SyncResult {
  return {
    cluster: "dev",
    appSet: "set",
    application: "web-dev",
    revision: "c1",
    fleetRevision: "f1",
    bundleDigest: "sha256:1",
    desiredDigest: "h1",
    applied,
    pruned: { entries: [] },
    stale: [],
    health: healthy,
    at: new Date("2026-03-15T12:00:00Z"),
    ...overrides,
  };
}

describe("statusOf", () => {
  it("a clean sync is Synced with the aggregate health and per-resource status", () => {
    const status = statusOf(result());
    expect(status).toMatchObject({
      sync: "Synced",
      health: "Healthy",
      revision: "c1",
      fleetRevision: "f1",
      bundleDigest: "sha256:1",
      lastSyncAt: "2026-03-15T12:00:00.000Z",
    });
    // The namespace made by CreateNamespace is not the Application's, so it is not listed.
    expect(status.resources).toEqual([
      { id: "apps/Deployment/ns/web", action: "configured", health: "Healthy", message: "1 of 1 replicas available" },
    ]);
    expect(status.lastError).toBeUndefined();
  });

  it("stale objects kept because prune is off make it OutOfSync", () => {
    const status = statusOf(result({ stale: [{ id: "/ConfigMap/ns/old", version: "v1" }] }));
    expect(status.sync).toBe("OutOfSync");
    expect(status.resources.find((r) => r.id === "/ConfigMap/ns/old")).toMatchObject({ action: "stale" });
  });

  it("pruned objects are listed as deleted and Missing; a sync that pruned is Synced", () => {
    const pruned: ChangeSet = {
      entries: [
        { id: "/ConfigMap/ns/old", subject: "ConfigMap/ns/old", action: "deleted", version: "v1", owned: true },
      ],
    };
    const status = statusOf(result({ pruned }));
    expect(status.sync).toBe("Synced");
    expect(status.resources.find((r) => r.id === "/ConfigMap/ns/old")).toEqual({
      id: "/ConfigMap/ns/old",
      action: "deleted",
      health: "Missing",
    });
  });

  it("a prune held back by a preserve annotation is not drift", () => {
    const pruned: ChangeSet = {
      entries: [
        {
          id: "/ConfigMap/ns/keep",
          subject: "ConfigMap/ns/keep",
          action: "skipped",
          version: "v1",
          owned: true,
          reason: "preserved by annotation",
        },
      ],
    };
    const status = statusOf(result({ pruned }));
    expect(status.sync).toBe("Synced");
    expect(status.resources.find((r) => r.id === "/ConfigMap/ns/keep")?.message).toBe("preserved by annotation");
  });

  it("an object without a health verdict is Unknown", () => {
    const status = statusOf(
      result({ health: { objects: [], aggregate: { status: "Healthy", message: "no objects" } } }),
    );
    expect(status.resources[0]?.health).toBe("Unknown");
  });

  it("Degraded health keeps the sync status", () => {
    const degraded: HealthReport = {
      objects: [{ ...healthy.objects[0]!, verdict: { status: "Degraded", message: "progress deadline exceeded" } }],
      aggregate: { status: "Degraded", message: "Deployment/ns/web: progress deadline exceeded" },
    };
    expect(statusOf(result({ health: degraded }))).toMatchObject({ sync: "Synced", health: "Degraded" });
  });

  it("lists hook Jobs with their phase and keeps what hooks ran, outside health", () => {
    const hooks = { desiredDigest: "h1", bundleDigest: "sha256:1", phases: { PreSync: "Succeeded" as const }, at: "x" };
    const status = statusOf(
      result({
        hooks,
        hookResources: [
          {
            id: "batch/Job/ns/migrate",
            action: "deleted",
            health: "Healthy",
            message: "job complete",
            hook: "PreSync",
          },
        ],
      }),
    );
    expect(status.resources).toEqual([
      { id: "apps/Deployment/ns/web", action: "configured", health: "Healthy", message: "1 of 1 replicas available" },
      { id: "batch/Job/ns/migrate", action: "deleted", health: "Healthy", message: "job complete", hook: "PreSync" },
    ]);
    expect(status.hooks).toEqual(hooks);
    expect(status.health).toBe("Healthy");
    expect(statusOf(result()).hooks).toBeUndefined();
  });
});
