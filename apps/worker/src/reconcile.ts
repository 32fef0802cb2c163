import { PhaseClock } from "@flotilla/core";
import { type ChangeSet, healthOfApplied, staleEntries } from "@flotilla/kube";
import { isClusterThrottledError, isFailedSource } from "@flotilla/queue";
import type { Bundle } from "@flotilla/render";
import { type AppStatus, honoursSyncRequests, type StatusStore, type SyncRequest } from "@flotilla/status";
import type { WatchKnowledge } from "./drift/watch-knowledge.ts";
import { failureOf } from "./errors/failure.ts";
import type { SyncObserver, SyncOutcome } from "./metrics/sync-observer.ts";
import { advancedStatus, alreadyApplied } from "./status/already-applied.ts";
import { inventoryOf, mergeInventories } from "./status/inventory.ts";
import { pendingStatus } from "./status/pending-status.ts";
import { unchangedSince, verifiedStatus } from "./status/verified-status.ts";
import type { ApplyStepOptions } from "./steps/apply.ts";
import { checkHealth, type HealthStepOptions, settleHealth } from "./steps/check-health.ts";
import { detectDrift, unchangedOnCluster } from "./steps/detect-drift.ts";
import { planOf } from "./steps/objects.ts";
import { defaultHookOptions, type HookStepOptions } from "./steps/run-hooks.ts";
import { type BundleSources, sourceBundle } from "./steps/source-bundle.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { syncOperation } from "./steps/sync-operation.ts";
import { type PartialSync, writeFailure, writePending, writeStatus, writeVerified } from "./steps/write-status.ts";

export interface ReconcileOptions {
  /** Also how long each sync wave but the last may take to become Healthy before the next one is applied. */
  health: HealthStepOptions;
  apply: ApplyStepOptions;
  /** @defaultValue `defaultHookOptions()` */
  hooks?: Partial<HookStepOptions>;
}

export function defaultReconcileOptions(): ReconcileOptions {
  return {
    health: { waitMs: 30_000, pollMs: 1_000 },
    apply: { throttleDelayMs: 5_000 },
    hooks: defaultHookOptions(),
  };
}

/** What a sync needs beyond its cluster: where bundles come from, where state goes. */
export interface ReconcileDeps {
  bundles: BundleSources;
  status: StatusStore;
  /** What this worker's drift watches know; shared with them through the runtime. */
  watch: WatchKnowledge;
  options: ReconcileOptions;
  /** The clock stamped on status and history; `createRuntime` passes `() => new Date()`. */
  now: () => Date;
  /** Told what each sync did (the worker's metrics). @defaultValue nobody */
  observer?: SyncObserver;
}

/**
 * Makes one Application on one cluster equal to Git: sourceBundle → syncOperation (PreSync hooks → apply wave
 * by wave → prune → PostSync hooks) → checkHealth → writeStatus, a straight line. When nothing changed since the last good sync and selfHeal is off, it stops
 * after render and only looks: detectDrift → checkHealth → writeStatus (OutOfSync when someone edited an object).
 * A new commit whose bundle is the one already applied, with the watches vouching for the cluster, stops before
 * fetching it: the status moves to the commit (see `advanceOnly`).
 * An Application without `syncPolicy.automated` is manual: it is only looked at (OutOfSync with what applying
 * would change) until a sync request is pending for it, which the next sync honours (see `SyncRequests`).
 * Every step throws its own error; this function alone turns them into a status. Returns the status written. Throws only what the job must be retried for (an unreachable cluster or Git, a
 * throttled cluster, a shutdown); bad input ends as an Error status and a completed job, because retrying a bad
 * manifest cannot fix it — the next commit will.
 */
export async function reconcileSync(deps: ReconcileDeps, base: SyncContext, jobId: string): Promise<AppStatus> {
  const started = performance.now();
  const report: SyncReport = { outcome: { kind: "looked" }, reverted: 0, clock: new PhaseClock() };
  const ended = () =>
    deps.observer?.syncEnded({
      ref: base.ref,
      outcome: report.outcome,
      reverted: report.reverted,
      seconds: (performance.now() - started) / 1000,
      stepsMs: report.clock.laps,
    });
  try {
    const status = await syncSteps(deps, base, jobId, report);
    ended();
    return status;
  } catch (err) {
    // A throttled or cancelled job goes back as it was: it did not end, it runs again.
    if (!isClusterThrottledError(err) && !base.signal.aborted) ended();
    throw err;
  }
}

/** What the steps tell the observer: set as they go, read once the sync ends. */
interface SyncReport {
  outcome: SyncOutcome;
  reverted: number;
  /** The steps' times, for the "synced" log line and the step histogram. */
  clock: PhaseClock;
}

async function syncSteps(
  deps: ReconcileDeps,
  base: SyncContext,
  jobId: string,
  report: SyncReport,
): Promise<AppStatus> {
  const at = deps.now();
  const { clock } = report;
  const partial: PartialSync = {};
  let ctx = base;
  const manual = ctx.app.spec.syncPolicy?.automated === undefined;
  let request: SyncRequest | undefined;
  try {
    // One round trip for everything this sync reads from the status store.
    const inputs = await deps.status.syncInputs(ctx.ref, { request: honoursSyncRequests(ctx.app) });
    request = inputs.request;
    const last = inputs.status;
    const adoptedFrom = ctx.job.adoptFrom === undefined ? undefined : { ...ctx.ref, appSet: ctx.job.adoptFrom };
    const advanced = await advanceOnly(deps, ctx, { last, request, at, jobId });
    if (advanced !== undefined) return advanced;
    clock.lap("inputs");
    // A rename: what the old ApplicationSet applied is this sync's to take over (and to prune, if it left Git).
    const previous =
      adoptedFrom === undefined
        ? inputs.inventory
        : mergeInventories(inputs.inventory, await deps.status.inventory(adoptedFrom));
    const { commit, bundle } = await sourceBundle(deps.bundles, ctx, (known) => {
      partial.revision = known;
    });
    ctx = { ...ctx, log: ctx.log.child({ revision: commit }) };
    partial.bundleDigest = bundle.digest;
    clock.lap("source");
    const current = { revision: commit, bundleDigest: bundle.digest, desiredDigest: ctx.job.desiredDigest };
    if (
      request === undefined &&
      ctx.job.refresh !== true &&
      unchangedSince(last, current) &&
      unchangedOnCluster(deps.watch.ledger, last, at)
    ) {
      ctx.log.debug("nothing new in Git and the watches saw nothing change; nothing to check");
      return last;
    }
    if (manual && request === undefined) {
      const { drift, health } = await onCluster(ctx, clock, () => look(ctx, bundle, commit));
      const stale = staleEntries(previous, { entries: drift.map((d) => ({ id: d.id, version: "" })) });
      const status = await writePending(
        deps.status,
        ctx,
        last,
        pendingStatus({ ref: ctx.ref, last, drift, health, stale, commit, at }),
        jobId,
      );
      ctx.log.info(
        { sync: status.sync, health: status.health },
        "manual sync policy; compared with Git, applied nothing",
      );
      return status;
    }
    if (
      request === undefined &&
      unchangedSince(last, current) &&
      ctx.app.spec.syncPolicy?.automated?.selfHeal !== true
    ) {
      const { drift, health } = await onCluster(ctx, clock, () => look(ctx, bundle, commit));
      const status = await writeVerified(deps.status, ctx, last, verifiedStatus(last, drift, health, at), jobId);
      settleHealth(deps.watch.settler, ctx, bundle, status, health, at, deps.options.health);
      ctx.log.info({ sync: status.sync, health: status.health }, "nothing new in Git; checked for drift");
      return status;
    }
    // Nothing new in Git, yet applying: a self-heal, so whatever the apply changes someone else had changed.
    const healing = request === undefined && unchangedSince(last, current);
    report.outcome = { kind: "applied" };
    // Each wave's inventory is sent the moment the wave has landed, and its answer waited for once the lane is
    // given back: the store's commands leave in order, so a crash after the next wave still finds this one
    // recorded, and a lane no longer waits on Redis between the apply and the prune.
    const inventoryWrites: Promise<void>[] = [];
    const { applied, pruneOutcome, hooks, health } = await onCluster(ctx, clock, async () => {
      const operation = await syncOperation({
        ctx,
        plan: planOf(bundle),
        commit,
        state: { desiredDigest: ctx.job.desiredDigest, bundleDigest: bundle.digest },
        last,
        requested: request,
        previous,
        options: deps.options,
        now: deps.now,
        onApplied: async (changeSet) => {
          const write = deps.status.putInventory(ctx.ref, mergeInventories(previous, inventoryOf(changeSet)));
          // Its refusal is thrown where it is awaited, below; until then it must not count as unhandled.
          write.catch(() => undefined);
          inventoryWrites.push(write);
        },
        onHooks: (progress) => {
          partial.hooks = progress;
        },
      });
      clock.lap("apply");
      // What the apply returned says it already, unless a wave was waited for: reading every object back would
      // double the requests per sync.
      const { applied } = operation;
      const read =
        (applied.waited ? undefined : healthOfApplied(applied.changeSet)) ?? (await checkHealth(ctx, bundle));
      clock.lap("health");
      return { ...operation, health: read };
    });
    if (healing) {
      report.reverted = changedObjects(applied.changeSet);
      // A self-heal that found nothing to put back was a look at the cluster, not a sync (as Argo CD counts it).
      if (report.reverted === 0) report.outcome = { kind: "looked" };
    }
    await Promise.all(inventoryWrites);
    const { pruned, stale, inventory } = pruneOutcome;
    const status = await writeStatus(
      deps.status,
      ctx,
      last,
      {
        ...ctx.ref,
        revision: commit,
        fleetRevision: ctx.job.revision,
        bundleDigest: bundle.digest,
        desiredDigest: ctx.job.desiredDigest,
        applied: applied.changeSet,
        pruned,
        stale,
        health,
        at,
        ...(hooks === undefined ? {} : { hooks: hooks.run, hookResources: hooks.resources }),
      },
      inventory,
      jobId,
    );
    deps.watch.owned.recorded(ctx.ref.cluster, inventory);
    settleHealth(deps.watch.settler, ctx, bundle, status, health, at, deps.options.health);
    if (adoptedFrom !== undefined) {
      await deps.status.recordHandover(adoptedFrom, ctx.ref, {
        at: at.getTime(),
        jobId,
        revision: commit,
        fleetRevision: ctx.job.revision,
        bundleDigest: bundle.digest,
      });
      ctx.log.info(
        { from: adoptedFrom.appSet },
        "took the Application over from the ApplicationSet it was renamed from",
      );
    }
    if (request !== undefined) await deps.status.requests.settle(ctx.ref, request);
    clock.lap("status");
    ctx.log.info(
      {
        sync: status.sync,
        health: status.health,
        digest: bundle.digest,
        requested: request !== undefined,
        ms: clock.laps,
      },
      "synced",
    );
    return status;
  } catch (err) {
    // Neither is a failure of the Application: the job goes back as it was.
    if (isClusterThrottledError(err) || ctx.signal.aborted) throw err;
    const failure = failureOf(err);
    report.outcome = { kind: "failed", retryable: failure.retryable };
    const status = await writeFailure(deps.status, ctx, failure, partial, at, jobId);
    ctx.log[failure.retryable ? "warn" : "error"]({ reason: failure.reason, err: failure.message }, "sync failed");
    if (failure.retryable) throw err;
    // The requested sync ran and failed for a reason retrying cannot fix; its status says why. A new request tries again.
    if (request !== undefined) await deps.status.requests.settle(ctx.ref, request);
    return status;
  }
}

/**
 * The cheapest sync: a job whose bundle and spec are the ones already applied and found in sync, at a new commit
 * (a push that changed other apps' files), while the drift watches vouch that nothing changed on the cluster. The
 * status moves to the new revision, with a history entry as for any new revision; no bundle read, no request to
 * the cluster, no health wait. Returns undefined when the sync has to run.
 */
async function advanceOnly(
  deps: ReconcileDeps,
  ctx: SyncContext,
  state: { last: AppStatus | undefined; request: SyncRequest | undefined; at: Date; jobId: string },
): Promise<AppStatus | undefined> {
  const { last, at, jobId } = state;
  const source = ctx.job.source;
  if (state.request !== undefined || ctx.job.refresh === true || ctx.job.adoptFrom !== undefined) return undefined;
  if (source === undefined || isFailedSource(source)) return undefined;
  const wanted = { revision: source.commit, bundleDigest: source.bundle, desiredDigest: ctx.job.desiredDigest };
  if (!alreadyApplied(last, wanted) || !unchangedOnCluster(deps.watch.ledger, last, at)) return undefined;
  const status = advancedStatus(last, { revision: source.commit, fleetRevision: ctx.job.revision });
  await deps.status.recordVerification(ctx.ref, status, {
    at: at.getTime(),
    result: status.sync,
    revision: source.commit,
    fleetRevision: ctx.job.revision,
    bundleDigest: source.bundle,
    jobId,
    message: "the bundle is the one already applied and the watches saw no change; nothing to apply",
  });
  ctx.log.info(
    { revision: source.commit, digest: source.bundle },
    "bundle already applied at an earlier commit; moved to the new revision without touching the cluster",
  );
  return status;
}

/** Objects an apply created or changed: when Git did not change, each is one drift put back. */
function changedObjects(applied: ChangeSet): number {
  return applied.entries.filter((e) => e.action === "created" || e.action === "configured").length;
}

/** A look at the cluster without applying: what applying Git would change, and the objects' health. */
async function look(ctx: SyncContext, bundle: Bundle, commit: string) {
  return { drift: await detectDrift(ctx, bundle, commit), health: await checkHealth(ctx, bundle) };
}

/**
 * The part of a sync that talks to the cluster, in one of its lanes (`SyncContext.lane`): the worker takes more
 * jobs than a cluster has lanes, so that one sync's Redis reads and status write overlap another's requests to
 * the API server rather than hold a lane idle. The wait for a lane is its own lap in the "synced" log line.
 */
async function onCluster<T>(ctx: SyncContext, clock: PhaseClock, work: () => Promise<T>): Promise<T> {
  if (ctx.lane === undefined) return work();
  return ctx.lane.run(() => {
    clock.lap("lane");
    return work();
  }, ctx.signal);
}
