import type { Application } from "@flotilla/core";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { conditionsOf } from "./conditions.ts";
import { detailOf, summaryOf } from "./detail.ts";

const spec = (automated: boolean): Application =>
  ({
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "web" },
    spec: {
      source: { repoURL: "https://git.example/app.git", path: "app" },
      destination: { cluster: "prod", namespace: "web" },
      ...(automated ? { syncPolicy: { automated: {} } } : {}),
    },
  }) as Application;

const status = (more: Partial<AppStatus> = {}): AppStatus => ({
  cluster: "prod",
  appSet: "shop",
  application: "web",
  sync: "Synced",
  health: "Healthy",
  lastSyncAt: "2026-12-01T00:00:00.000Z",
  resources: [],
  ...more,
});

describe("conditionsOf", () => {
  it("nothing to say about a Synced, Healthy, automated Application", () => {
    expect(conditionsOf({ status: status(), spec: spec(true), request: undefined })).toEqual([]);
  });

  it("a failed apply is a SyncError; a failed render or dry-run a ComparisonError; both carry when", () => {
    const at = "2026-12-01T01:00:00.000Z";
    const failed = (reason: "ApplyFailed" | "RenderFailed" | "DriftCheckFailed", retrying = false) =>
      conditionsOf({
        status: status({ sync: "Error", lastError: { reason, message: "boom", at, retrying } }),
        spec: spec(true),
        request: undefined,
      });
    expect(failed("ApplyFailed", true)).toEqual([{ type: "SyncError", message: "ApplyFailed: boom (retrying)", at }]);
    expect(failed("RenderFailed")[0]?.type).toBe("ComparisonError");
    expect(failed("DriftCheckFailed")[0]?.type).toBe("ComparisonError");
  });

  it("objects left in place when they left Git are an OrphanedResourceWarning; edited ones a DriftWarning", () => {
    const conditions = conditionsOf({
      status: status({
        sync: "OutOfSync",
        resources: [
          { id: "/ConfigMap/web/old", action: "stale", health: "Unknown" },
          { id: "apps/Deployment/web/web", action: "unchanged", health: "Healthy", drift: ["spec.replicas"] },
        ],
      }),
      spec: spec(true),
      request: undefined,
    });
    expect(conditions.map((c) => c.type)).toEqual(["OrphanedResourceWarning", "DriftWarning"]);
    expect(conditions[0]?.message).toContain("/ConfigMap/web/old");
    expect(conditions[1]?.message).toBe("1 object(s) on the cluster differ from Git: apps/Deployment/web/web");
  });

  it("a manual Application that differs waits for a sync (ManualSyncPending) until one is requested", () => {
    const outOfSync = status({ sync: "OutOfSync", syncMessage: "manual sync policy: 1 object(s) differ" });
    expect(conditionsOf({ status: outOfSync, spec: spec(false), request: undefined })).toEqual([
      { type: "ManualSyncPending", message: "manual sync policy: 1 object(s) differ" },
    ]);
    const request = { id: "r1", prune: true, at: "2026-12-01T02:00:00.000Z" };
    expect(conditionsOf({ status: outOfSync, spec: spec(false), request })).toEqual([
      { type: "SyncRequested", message: expect.stringContaining("with prune"), at: request.at },
    ]);
  });

  it("a status whose Application left Git says so", () => {
    expect(conditionsOf({ status: status(), spec: undefined, request: undefined }).map((c) => c.type)).toEqual([
      "NotInGit",
    ]);
  });
});

describe("detailOf and summaryOf", () => {
  const drifted = status({
    sync: "OutOfSync",
    resources: [
      {
        id: "/ConfigMap/web/cfg",
        action: "unchanged",
        health: "Healthy",
        drift: ["data.value"],
        diff: [{ path: "data.value", desired: '"1"', live: '"2"' }],
      },
      { id: "/ConfigMap/web/plain", action: "unchanged", health: "Healthy" },
      { id: "/ConfigMap/web/gone", action: "deleted", health: "Missing" },
    ],
  });

  it("the detail lists desired vs live for each differing object only", () => {
    const detail = detailOf({
      ref: { cluster: "prod", appSet: "shop", application: "web" },
      status: drifted,
      spec: spec(true),
      request: undefined,
    });
    expect(detail.diffs).toEqual([
      {
        id: "/ConfigMap/web/cfg",
        paths: ["data.value"],
        differences: [{ path: "data.value", desired: '"1"', live: '"2"' }],
      },
    ]);
    expect(detail.status).toBe(drifted);
    expect(detail.syncRequest).toBeUndefined();
  });

  it("a summary has no resources, only their counts", () => {
    const summary = summaryOf(drifted);
    expect(summary).not.toHaveProperty("resources");
    expect(summary).toMatchObject({ resourceCount: 2, driftedCount: 1, sync: "OutOfSync" });
  });
});
