import type { AppStatus } from "@flotilla/status";

/**
 * Whether a completed sync earns a history entry: a new revision, render output or Application, a changed sync
 * status, or objects changed on the cluster (a reverted drift). A periodic re-sync that changed nothing does not,
 * so the history keeps months of real changes rather than hours of no-ops.
 */
export function worthRecording(last: AppStatus | undefined, next: AppStatus, clusterChanged: boolean): boolean {
  if (last === undefined || clusterChanged || last.sync !== next.sync) return true;
  return (
    last.revision !== next.revision ||
    last.bundleDigest !== next.bundleDigest ||
    last.desiredDigest !== next.desiredDigest
  );
}
