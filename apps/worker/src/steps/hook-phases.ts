import { type HookPhase, hookWaves, type SyncPlan } from "@flotilla/kube";
import type { HookRun, ResourceStatus } from "@flotilla/status";
import { HookFailed } from "../errors/hook-failed.ts";
import { type HooksDue, phaseEnded } from "./hook-run.ts";
import { type HookRunOptions, hookResources, runHooks } from "./run-hooks.ts";
import type { SyncContext } from "./sync-context.ts";

/** What the hooks of this sync did so far: kept on the status whether the sync ends well or not. */
export interface HookProgress {
  run: HookRun;
  /** One row per hook Job, the latest run of each. */
  resources: ResourceStatus[];
}

/** Where a sync starts from: the record it continues keeps the hook rows it showed; a fresh one starts empty. */
export function hookProgressOf(
  due: HooksDue,
  last: { hooks?: HookRun; resources: ResourceStatus[] } | undefined,
): HookProgress {
  const continued = last?.hooks !== undefined && due.run === last.hooks;
  return { run: due.run, resources: continued ? last.resources.filter((r) => r.hook !== undefined) : [] };
}

function withRows(progress: HookProgress, rows: readonly ResourceStatus[]): ResourceStatus[] {
  const fresh = new Set(rows.map((r) => r.id));
  return [...progress.resources.filter((r) => !fresh.has(r.id)), ...rows];
}

export interface HookPhaseCall {
  ctx: SyncContext;
  plan: SyncPlan;
  commit: string;
  progress: HookProgress;
  options: HookRunOptions;
  now: () => Date;
}

/**
 * Runs one phase's hooks (none declared: nothing happens, nothing is recorded) and records how it ended on
 * `progress`. A failed PreSync or PostSync hook throws `HookFailed`, naming the Job and why it failed; a failed
 * SyncFail hook is only logged, since the sync has failed already.
 */
export async function runHookPhase(call: HookPhaseCall, phase: HookPhase): Promise<void> {
  const { ctx, plan, commit, progress, options } = call;
  if (hookWaves(plan, phase).length === 0) return;
  const result = await runHooks(ctx, plan, phase, commit, options);
  progress.resources = withRows(progress, hookResources(result.outcomes));
  const message = result.failed === undefined ? undefined : `${result.failed.subject}: ${result.failed.message}`;
  progress.run = phaseEnded(progress.run, phase, {
    failed: message !== undefined,
    at: call.now(),
    ...(message === undefined ? {} : { message }),
  });
  if (message === undefined) return;
  if (phase === "SyncFail") {
    ctx.log.warn({ err: message }, "SyncFail hook failed");
    return;
  }
  throw new HookFailed(phase, message);
}

/** A phase that failed for this desired state before is not run again: the sync fails the same way at once. */
export function failedBefore(due: HooksDue): HookFailed | undefined {
  if (due.failedBefore === undefined) return undefined;
  const why = due.run.message ?? "a hook failed";
  return new HookFailed(
    due.failedBefore,
    `${why} (for this desired state already; hooks run once per desired state: change it in Git or request a sync to run them again)`,
  );
}
