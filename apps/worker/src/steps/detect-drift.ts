import type { DriftEntry } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";
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
