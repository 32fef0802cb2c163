import type { HealthReport } from "@flotilla/kube";
import type { AppStatus, ResourceStatus } from "@flotilla/status";

/**
 * The status with health read after its sync ended: the aggregate and each object's verdict change, nothing
 * else does (the sync result, revision and lastSyncAt stay the sync's). Objects the report does not name, and
 * those the sync pruned or left stale, keep what they had.
 */
export function withHealth(status: AppStatus, report: HealthReport): AppStatus {
  const verdicts = new Map(report.objects.map((o) => [o.id, o.verdict]));
  const resources = status.resources.map((resource): ResourceStatus => {
    const verdict = verdicts.get(resource.id);
    if (verdict === undefined || resource.action === "stale" || resource.action === "deleted") return resource;
    return { ...resource, health: verdict.status, message: verdict.message };
  });
  return { ...status, health: report.aggregate.status, healthMessage: report.aggregate.message, resources };
}
