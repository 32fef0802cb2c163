import { type ChangeSet, foundationOf, hookWaves, type Inventory, type SyncPlan } from "@flotilla/kube";
import { isClusterThrottledError } from "@flotilla/queue";
import type { AppStatus, SyncRequest } from "@flotilla/status";
import { failureOf } from "../errors/failure.ts";
import { inventoryOf } from "../status/inventory.ts";
import { type Applied, type ApplyStepOptions, apply } from "./apply.ts";
import type { HealthStepOptions } from "./check-health.ts";
import { failedBefore, type HookPhaseCall, type HookProgress, hookProgressOf, runHookPhase } from "./hook-phases.ts";
import { type DesiredState, hooksDue } from "./hook-run.ts";
import { type PruneOutcome, prune } from "./prune.ts";
import { defaultHookOptions, type HookStepOptions } from "./run-hooks.ts";
import type { SyncContext } from "./sync-context.ts";

export interface SyncOperationCall {
  ctx: SyncContext;
  plan: SyncPlan;
  commit: string;
  state: DesiredState;
  /** The status before this sync: what hooks already ran for this desired state. */
  last: AppStatus | undefined;
  /** The sync request this sync honours, if any: it runs the hooks again and decides on pruning. */
  requested: SyncRequest | undefined;
  previous: Inventory;
  options: { health: HealthStepOptions; apply: ApplyStepOptions; hooks?: Partial<HookStepOptions> };
  now: () => Date;
  /** Records what landed after each wave, before anything else can fail. */
  onApplied: (changeSet: ChangeSet) => Promise<void>;
  /** Learns the hooks' progress as soon as it is known, so that a failure records it too. */
  onHooks: (progress: HookProgress) => void;
}

export interface SyncOperationResult {
  applied: Applied;
  pruneOutcome: PruneOutcome;
  /** Absent when the bundle has no hooks. */
  hooks?: HookProgress;
}

/**
 * The part of a sync that changes the cluster: PreSync hooks, the waves, prune, then PostSync hooks once the last
 * wave is Healthy; hooks only for a desired state they have not run for (see `hooksDue`). When the sync fails for
 * good, its SyncFail hooks run, once, and the error goes on to the caller.
 */
export async function syncOperation(call: SyncOperationCall): Promise<SyncOperationResult> {
  const { ctx, plan } = call;
  const due =
    plan.hooks.length === 0
      ? undefined
      : hooksDue(call.last, call.state, { requested: call.requested !== undefined, at: call.now() });
  const hooks = due === undefined ? undefined : hookProgressOf(due, call.last);
  if (hooks !== undefined) call.onHooks(hooks);
  const phase = (progress: HookProgress): HookPhaseCall => ({
    ctx,
    plan,
    commit: call.commit,
    progress,
    options: { ...defaultHookOptions(), throttleDelayMs: call.options.apply.throttleDelayMs, ...call.options.hooks },
    now: call.now,
  });
  try {
    const refused = due === undefined ? undefined : failedBefore(due);
    if (refused !== undefined) throw refused;
    const waves = { timeoutMs: call.options.health.waitMs, pollMs: call.options.health.pollMs };
    // A commit the last sync did not apply restamps every object, so each is configured unless created: no read.
    const readLive = call.last?.revision === call.commit;
    let waved = plan;
    let before: ChangeSet = { entries: [] };
    if (hooks !== undefined && due?.preSync === true && hookWaves(plan, "PreSync").length > 0) {
      // PreSync hooks run in a namespace and may use custom kinds: Namespaces and CRDs come before them.
      const { foundation, rest } = foundationOf(plan);
      const first = { ...plan, waves: [{ wave: 0, objects: foundation }] };
      before = (
        await apply(
          ctx,
          first,
          call.commit,
          { ...call.options.apply, waves, waitForLast: false, readLive },
          call.onApplied,
        )
      ).changeSet;
      waved = rest;
      await runHookPhase(phase(hooks), "PreSync");
    }
    const postSync = hooks !== undefined && due?.postSync === true && hookWaves(plan, "PostSync").length > 0;
    const applied = await apply(
      ctx,
      waved,
      call.commit,
      {
        ...call.options.apply,
        waves,
        waitForLast: postSync,
        readLive,
        ...(waved === plan ? {} : { createNamespace: false, before: before.entries }),
      },
      call.onApplied,
    );
    const pruneOutcome = await prune(
      ctx,
      call.previous,
      inventoryOf(applied.changeSet),
      call.requested === undefined ? {} : { enabled: call.requested.prune },
    );
    if (hooks !== undefined && postSync) await runHookPhase(phase(hooks), "PostSync");
    return { applied, pruneOutcome, ...(hooks === undefined ? {} : { hooks }) };
  } catch (err) {
    const again = due?.failedBefore !== undefined;
    if (hooks !== undefined && due?.syncFail === true && !again && failsForGood(ctx, err)) {
      await runHookPhase(phase(hooks), "SyncFail").catch((hookErr: unknown) =>
        ctx.log.warn({ err: hookErr }, "SyncFail hooks could not run"),
      );
    }
    throw err;
  }
}

/** Not retried (bad input, a failed hook) or retried no more: SyncFail hooks are for a sync that has failed. */
function failsForGood(ctx: SyncContext, err: unknown): boolean {
  if (isClusterThrottledError(err) || ctx.signal.aborted) return false;
  return !failureOf(err).retryable || ctx.finalAttempt === true;
}
