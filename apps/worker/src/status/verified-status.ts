import type { DriftEntry, HealthReport } from "@flotilla/kube";
import type { AppStatus, ResourceStatus } from "@flotilla/status";
import { boundedDiffs } from "./bounded-diffs.ts";

/**
 * Whether Git, the rendered output and the Application are all as the last good sync left them: then a sync
 * without selfHeal only checks for drift instead of applying (Argo CD's rule: without selfHeal, drift is shown,
 * not reverted).
 */
export function unchangedSince(
  last: AppStatus | undefined,
  current: { revision: string; bundleDigest: string; desiredDigest: string },
): last is AppStatus {
  return (
    last !== undefined &&
    last.sync !== "Error" &&
    last.revision === current.revision &&
    last.bundleDigest === current.bundleDigest &&
    last.desiredDigest === current.desiredDigest
  );
}

/**
 * The status after a drift check: the last sync's resources with fresh health and drift. Objects pruned last time
 * are gone and dropped; stale ones (prune off) stay and keep it OutOfSync.
 */
export function verifiedStatus(
  last: AppStatus,
  drift: readonly DriftEntry[],
  health: HealthReport,
  at: Date,
): AppStatus {
  const driftById = new Map(drift.map((d) => [d.id, d]));
  const healthById = new Map(health.objects.map((o) => [o.id, o.verdict]));
  const resources: ResourceStatus[] = [];
  for (const previous of last.resources) {
    // Hooks are no drift and no part of health: their rows stay as the sync that ran them left them.
    if (previous.hook !== undefined) {
      resources.push(previous);
      continue;
    }
    if (previous.action === "deleted") continue;
    if (previous.action === "stale") {
      resources.push(previous);
      continue;
    }
    const verdict = healthById.get(previous.id);
    const resource: ResourceStatus = { id: previous.id, action: "unchanged", health: verdict?.status ?? "Unknown" };
    const d = driftById.get(previous.id);
    const message = d?.error?.message ?? verdict?.message;
    if (message !== undefined) resource.message = message;
    if (d?.drifted === true) resource.drift = d.paths;
    if (d?.drifted === true && d.differences !== undefined) resource.diff = d.differences;
    resources.push(resource);
  }
  const outOfSync = resources.some((r) => r.drift !== undefined || r.action === "stale");
  const { lastError: _cleared, ...kept } = last;
  return {
    ...kept,
    sync: outOfSync ? "OutOfSync" : "Synced",
    health: health.aggregate.status,
    healthMessage: health.aggregate.message,
    lastSyncAt: at.toISOString(),
    resources: boundedDiffs(resources),
  };
}
