import type { ChangeSet, HealthReport, InventoryEntry } from "@flotilla/kube";
import type { AppStatus, HookRun, ResourceStatus, SyncStatus } from "@flotilla/status";

/** What a successful pass through the steps produced, as the status builder needs it. */
export interface SyncResult {
  appSet: string;
  application: string;
  cluster: string;
  revision: string;
  fleetRevision: string;
  bundleDigest: string;
  desiredDigest: string;
  applied: ChangeSet;
  /** Deletions of what left Git; empty when prune was skipped. */
  pruned: ChangeSet;
  /** What left Git and was kept because prune is off: the Application is OutOfSync until it goes. */
  stale: readonly InventoryEntry[];
  health: HealthReport;
  at: Date;
  /** What hooks ran for this desired state, when the bundle has hooks; their Jobs are rows with a `hook` phase. */
  hooks?: HookRun;
  hookResources?: readonly ResourceStatus[];
}

/** The status of an Application after a sync that ran every step; pure, so every rule is unit-tested. */
export function statusOf(result: SyncResult): AppStatus {
  const healthById = new Map(result.health.objects.map((o) => [o.id, o.verdict]));
  const resources: ResourceStatus[] = result.applied.entries
    .filter((entry) => entry.owned)
    .map((entry) => {
      const verdict = healthById.get(entry.id);
      const resource: ResourceStatus = { id: entry.id, action: entry.action, health: verdict?.status ?? "Unknown" };
      const message = entry.error?.message ?? verdict?.message;
      if (message !== undefined) resource.message = message;
      return resource;
    });
  for (const entry of result.pruned.entries) {
    const resource: ResourceStatus = { id: entry.id, action: entry.action, health: "Missing" };
    const message = entry.error?.message ?? entry.reason;
    if (message !== undefined) resource.message = message;
    resources.push(resource);
  }
  for (const entry of result.stale) {
    resources.push({ id: entry.id, action: "stale", health: "Unknown", message: "no longer in Git; prune is off" });
  }
  resources.push(...(result.hookResources ?? []));
  const status: AppStatus = {
    appSet: result.appSet,
    application: result.application,
    cluster: result.cluster,
    sync: syncStatusOf(result),
    health: result.health.aggregate.status,
    healthMessage: result.health.aggregate.message,
    revision: result.revision,
    fleetRevision: result.fleetRevision,
    bundleDigest: result.bundleDigest,
    desiredDigest: result.desiredDigest,
    lastSyncAt: result.at.toISOString(),
    resources: resources.sort((a, b) => a.id.localeCompare(b.id)),
  };
  if (result.hooks !== undefined) status.hooks = result.hooks;
  return status;
}

function syncStatusOf(result: SyncResult): SyncStatus {
  // A prune that was held back by ownership or a preserve annotation leaves the object on purpose: not drift.
  const pruneFailed = result.pruned.entries.some((e) => e.error !== undefined);
  if (pruneFailed || result.stale.length > 0) return "OutOfSync";
  return "Synced";
}
