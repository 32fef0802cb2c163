import { syncOptionsOf } from "@flotilla/core";
import { type ChangeSet, failures } from "@flotilla/kube";
import { ClusterThrottledError } from "@flotilla/queue";
import type { Bundle } from "@flotilla/render";
import { ApplyFailed } from "../errors/apply-failed.ts";
import { anyThrottled } from "../errors/object-failures.ts";
import { objectsOf } from "./objects.ts";
import type { SyncContext } from "./sync-context.ts";

export interface ApplyStepOptions {
  /** How long a throttled cluster is left alone before the job runs again. @defaultValue 5000 */
  throttleDelayMs: number;
}

/**
 * Server-side applies the bundle. Per-object failures come back on the change set, never as an exception, so
 * `onApplied` records what did land before this step decides to fail.
 */
export async function apply(
  ctx: SyncContext,
  bundle: Bundle,
  commit: string,
  options: ApplyStepOptions,
  onApplied: (changeSet: ChangeSet) => Promise<void>,
): Promise<ChangeSet> {
  const { app, job } = ctx;
  const syncOptions = syncOptionsOf(app.spec.syncPolicy?.syncOptions);
  const changeSet = await ctx.manager.apply(objectsOf(bundle), {
    application: job.application,
    appSet: job.appSet,
    commit,
    namespace: app.spec.destination.namespace || undefined,
    createNamespace: syncOptions.createNamespace,
  });
  await onApplied(changeSet);
  const failed = failures(changeSet);
  if (failed.length === 0) return changeSet;
  if (anyThrottled(failed)) throw new ClusterThrottledError(job.cluster, options.throttleDelayMs);
  throw new ApplyFailed(changeSet, failed);
}
