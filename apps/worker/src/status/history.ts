import type { AppStatus, HistoryEntry } from "./types.ts";

/**
 * The revision running at `time`, given entries at or before it, newest first. A failed sync is not counted: what
 * it left is partial, so the answer is the last revision that fully landed; a deletion (or an abandoned one: what
 * is left is no longer Flotilla's) ends the answer. Undefined when nothing of this Application ran then.
 */
export function revisionAt(newestFirst: readonly HistoryEntry[], time: number): string | undefined {
  for (const entry of newestFirst) {
    if (entry.at > time) continue;
    if (entry.result === "Deleted" || entry.result === "Abandoned" || entry.result === "HandedOver") return undefined;
    if (entry.result === "Error" || entry.revision === undefined) continue;
    return entry.revision;
  }
  return undefined;
}

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
