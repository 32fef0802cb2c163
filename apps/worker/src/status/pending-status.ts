import type { DriftEntry, HealthReport, InventoryEntry } from "@flotilla/kube";
import type { AppRef, AppStatus, ResourceStatus } from "@flotilla/status";
import { boundedDiffs } from "./bounded-diffs.ts";

/** What a look at a manual Application found: Git's objects compared with the cluster, nothing applied. */
export interface PendingCheck {
  ref: AppRef;
  /** The status before; what it says was applied stays (revision, bundle digest, desired digest), since nothing new was. */
  last: AppStatus | undefined;
  /** One entry per object of the bundle: the server-side dry-run against the live object. */
  drift: readonly DriftEntry[];
  health: HealthReport;
  /** What the Application owns that left Git: a sync requested with prune would delete it. */
  stale: readonly InventoryEntry[];
  /** The source commit the comparison was made at. */
  commit: string;
  at: Date;
}

/**
 * The status of an Application whose sync policy is manual, between sync requests: OutOfSync with what applying
 * Git would change (object by object, as field paths), or Synced when the cluster already is as Git says.
 */
export function pendingStatus(check: PendingCheck): AppStatus {
  const healthById = new Map(check.health.objects.map((o) => [o.id, o.verdict]));
  const resources: ResourceStatus[] = check.drift.map((d) => {
    const verdict = healthById.get(d.id);
    const resource: ResourceStatus = {
      id: d.id,
      action: d.drifted ? "skipped" : "unchanged",
      health: verdict?.status ?? "Unknown",
    };
    const message = d.error?.message ?? (d.drifted ? "not applied: the sync policy is manual" : verdict?.message);
    if (message !== undefined) resource.message = message;
    if (d.drifted) resource.drift = d.paths;
    if (d.drifted && d.differences !== undefined) resource.diff = d.differences;
    return resource;
  });
  for (const entry of check.stale) {
    resources.push({
      id: entry.id,
      action: "stale",
      health: "Unknown",
      message: "no longer in Git; a sync requested with prune deletes it",
    });
  }
  const differing = resources.filter((r) => r.action !== "unchanged").length;
  const { lastError: _cleared, syncMessage: _old, ...kept } = check.last ?? {};
  const status: AppStatus = {
    ...kept,
    appSet: check.ref.appSet,
    application: check.ref.application,
    cluster: check.ref.cluster,
    sync: differing > 0 ? "OutOfSync" : "Synced",
    health: check.health.aggregate.status,
    lastSyncAt: check.at.toISOString(),
    resources: boundedDiffs(resources.sort((a, b) => a.id.localeCompare(b.id))),
  };
  status.healthMessage = check.health.aggregate.message;
  if (differing > 0) {
    status.syncMessage = `manual sync policy: ${differing} object(s) differ from Git at ${check.commit.slice(0, 12)}; applied only when a sync is requested`;
  }
  return status;
}
