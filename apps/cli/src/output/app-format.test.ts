import type { AppDetail, AppSummary } from "@flotilla/api-contract/types";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { appDetailText, appHistoryTable, appListTable } from "./app-format.ts";

// Golden output: the whole table, so a changed column, order or padding is caught.

const summary = (more: Partial<AppSummary>): AppSummary => ({
  cluster: "prod",
  appSet: "shop",
  application: "web",
  sync: "Synced",
  health: "Healthy",
  revision: "0123456789abcdef0123456789abcdef01234567",
  lastSyncAt: "2026-12-01T10:00:00.000Z",
  resourceCount: 2,
  driftedCount: 0,
  ...more,
});

describe("app tables (golden)", () => {
  it("app list", () => {
    const text = appListTable([
      summary({}),
      summary({
        application: "api",
        sync: "OutOfSync",
        health: "Missing",
        syncMessage: "manual sync policy: 1 object(s) differ",
      }),
      summary({
        cluster: "stage",
        application: "db",
        sync: "Error",
        health: "Unknown",
        lastError: { reason: "ApplyFailed", message: "webhook denied", at: "2026-12-01T10:00:00.000Z", retrying: true },
      }),
    ]);
    expect(text).toBe(
      [
        "CLUSTER   APPSET   APPLICATION   SYNC        HEALTH    REVISION       LAST SYNC             MESSAGE",
        "prod      shop     web           Synced      Healthy   0123456789ab   2026-12-01 10:00:00",
        "prod      shop     api           OutOfSync   Missing   0123456789ab   2026-12-01 10:00:00   manual sync policy: 1 object(s) differ",
        "stage     shop     db            Error       Unknown   0123456789ab   2026-12-01 10:00:00   ApplyFailed: webhook denied (retrying)",
      ].join("\n"),
    );
  });

  it("app get: state, resources, conditions, last error, diffs", () => {
    const status: AppStatus = {
      cluster: "prod",
      appSet: "shop",
      application: "web",
      sync: "OutOfSync",
      health: "Healthy",
      healthMessage: "2 objects healthy",
      revision: "0123456789abcdef0123456789abcdef01234567",
      lastSyncAt: "2026-12-01T10:00:00.000Z",
      resources: [
        {
          id: "/ConfigMap/web/settings",
          action: "unchanged",
          health: "Healthy",
          drift: ["data.value"],
          diff: [{ path: "data.value", desired: '"1"', live: '"edited by hand"' }],
        },
        { id: "apps/Deployment/web/web", action: "configured", health: "Healthy", message: "2 of 2 ready" },
      ],
      lastError: {
        reason: "PruneFailed",
        message: "forbidden: cannot delete",
        at: "2026-12-01T09:00:00.000Z",
        retrying: false,
      },
    };
    const detail: AppDetail = {
      cluster: "prod",
      appSet: "shop",
      application: "web",
      status,
      conditions: [
        { type: "SyncError", message: "PruneFailed: forbidden: cannot delete", at: "2026-12-01T09:00:00.000Z" },
        { type: "DriftWarning", message: "1 object(s) on the cluster differ from Git: /ConfigMap/web/settings" },
      ],
      diffs: [
        {
          id: "/ConfigMap/web/settings",
          paths: ["data.value"],
          differences: [{ path: "data.value", desired: '"1"', live: '"edited by hand"' }],
        },
      ],
    };
    expect(appDetailText(detail)).toBe(
      [
        "Application:   web",
        "ApplicationSet: shop",
        "Cluster:       prod",
        "Sync:          OutOfSync",
        "Health:        Healthy (2 objects healthy)",
        "Revision:      0123456789abcdef0123456789abcdef01234567",
        "Last sync:     2026-12-01T10:00:00.000Z",
        "",
        "KIND         NAMESPACE   NAME       ACTION       HEALTH    MESSAGE",
        "ConfigMap    web         settings   unchanged    Healthy",
        "Deployment   web         web        configured   Healthy   2 of 2 ready",
        "",
        "Conditions:",
        "TYPE           SINCE                 MESSAGE",
        "SyncError      2026-12-01 09:00:00   PruneFailed: forbidden: cannot delete",
        "DriftWarning                         1 object(s) on the cluster differ from Git: /ConfigMap/web/settings",
        "",
        "Last error (PruneFailed at 2026-12-01T09:00:00.000Z):",
        "forbidden: cannot delete",
        "",
        "Diff /ConfigMap/web/settings (desired in Git vs live on the cluster):",
        "  data.value",
        '    - live:    "edited by hand"',
        '    + desired: "1"',
        "",
      ].join("\n"),
    );
  });

  it("app history", () => {
    expect(
      appHistoryTable([
        {
          at: "2026-11-24T21:00:00.000Z",
          result: "Synced",
          revision: "b".repeat(40),
          bundleDigest: `sha256:${"c".repeat(64)}`,
          fleetRevision: "f".repeat(40),
          jobId: "2",
        },
        { at: "2026-11-24T20:00:00.000Z", result: "Error", jobId: "1", message: "render failed" },
      ]),
    ).toBe(
      [
        "TIME                      RESULT   REVISION       BUNDLE         FLEET          MESSAGE",
        "2026-11-24 21:00:00.000   Synced   bbbbbbbbbbbb   cccccccccccc   ffffffffffff",
        "2026-11-24 20:00:00.000   Error                                                 render failed",
      ].join("\n"),
    );
  });
});
