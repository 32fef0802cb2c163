import { type DriftEntry, parseId } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";
import type { AppStatus } from "@flotilla/status";
import type { WatchLedger } from "../drift/watch-ledger.ts";
import { kindKey } from "../drift/watched-kinds.ts";
import { DriftCheckFailed, unreachableDrift } from "../errors/drift-check-failed.ts";
import { objectsOf } from "./objects.ts";
import type { SyncContext } from "./sync-context.ts";

/**
 * Compares the cluster with Git through a server-side dry-run apply, so server defaults, status and managed
 * fields are never mistaken for drift.
 */
export async function detectDrift(ctx: SyncContext, bundle: Bundle, commit: string): Promise<DriftEntry[]> {
  const namespace = ctx.app.spec.destination.namespace || undefined;
  const drift = await ctx.manager.diff(objectsOf(bundle), {
    application: ctx.job.application,
    appSet: ctx.job.appSet,
    commit,
    ...(namespace === undefined ? {} : { namespace }),
  });
  const unreachable = unreachableDrift(drift);
  if (unreachable.length > 0) throw new DriftCheckFailed(unreachable);
  return drift;
}

/**
 * Longest time between two full checks of an Application the watches vouch for: a backstop against a change
 * they never reported. Each Application gets a share of it between half and all, so that Applications synced
 * together do not all come due in the same periodic round.
 */
const FULL_CHECK_MAX_AGE_MS = 60 * 60_000;

/**
 * Whether the cluster is as the last full check left it, without asking it: that check found the Application
 * Synced and Healthy, and since it began every kind the Application owns has been watched without a gap and no
 * watch saw its objects changed by someone else or turning unhealthy. Then a re-sync with nothing new from Git
 * has nothing to do: no dry-run, no health read.
 */
export function unchangedOnCluster(ledger: WatchLedger, last: AppStatus, now: Date): boolean {
  if (last.sync !== "Synced" || last.health !== "Healthy" || last.lastError !== undefined) return false;
  const checkedAt = Date.parse(last.lastSyncAt);
  if (!(now.getTime() - checkedAt < FULL_CHECK_MAX_AGE_MS * (0.5 + 0.5 * spreadOf(last)))) return false;
  const kinds = new Set<string>();
  for (const resource of last.resources) {
    if (resource.action !== "deleted" && resource.hook === undefined) kinds.add(kindKey(parseId(resource.id)));
  }
  return ledger.quietSince(last.cluster, last.appSet, last.application, [...kinds], checkedAt);
}

/** A stable number in [0, 1) per Application. */
function spreadOf(status: AppStatus): number {
  let hash = 0;
  for (const char of `${status.cluster}/${status.appSet}/${status.application}`) {
    hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  }
  return hash / 2 ** 32;
}
