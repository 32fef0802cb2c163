import {
  type Action,
  failures,
  type HealthStatus,
  type Hook,
  type HookPhase,
  hookWaves,
  idOf,
  type KubeObject,
  refOf,
  type SyncPlan,
  subjectOf,
} from "@flotilla/kube";
import { ClusterThrottledError } from "@flotilla/queue";
import type { ResourceStatus } from "@flotilla/status";
import { ApplyFailed } from "../errors/apply-failed.ts";
import { HookFailed } from "../errors/hook-failed.ts";
import { anyThrottled, anyUnreachable } from "../errors/object-failures.ts";
import { type PollOptions, pollHealth } from "./poll-health.ts";
import { appSetsOf } from "./prune.ts";
import type { SyncContext } from "./sync-context.ts";

export interface HookStepOptions extends PollOptions {
  /**
   * How long one hook Job may run before the sync gives up on it (bound a Job's own run time with its
   * `activeDeadlineSeconds`). @defaultValue 600000
   */
  timeoutMs: number;
  /** Time between two reads of a running hook. @defaultValue 1000 */
  pollMs: number;
}

/** The hook options with the apply's: how long a throttled cluster is left alone. */
export interface HookRunOptions extends HookStepOptions {
  throttleDelayMs: number;
}

export function defaultHookOptions(): HookStepOptions {
  return { timeoutMs: 600_000, pollMs: 1_000 };
}

/** How one hook Job ended. */
export interface HookOutcome {
  phase: HookPhase;
  id: string;
  subject: string;
  succeeded: boolean;
  /** What the apply did to it; `deleted` when its delete policy removed it afterwards. */
  action: Action;
  health: HealthStatus;
  /** The Job's verdict: "job complete", or why it failed (condition and Pod reason). */
  message: string;
}

export interface HookPhaseResult {
  outcomes: HookOutcome[];
  /** The first hook that failed; the phase's later waves did not run. */
  failed?: HookOutcome;
}

/** A hook without a namespace runs in the Application's destination namespace, as any namespaced object. */
function placed(ctx: SyncContext, object: KubeObject): KubeObject {
  const namespace = object.metadata.namespace || ctx.app.spec.destination.namespace;
  return namespace ? { ...object, metadata: { ...object.metadata, namespace } } : object;
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf("/") + 1);
}

/** Complete, Failed, or gone: a Job deleted under the hook (its `ttlSecondsAfterFinished`, someone) says no more. */
const FINISHED: readonly HealthStatus[] = ["Healthy", "Degraded", "Missing"];

/** Deletes the hook's Job if it is there and ours; with `wait`, until it is gone, so that a new one can be created. */
async function removeHook(
  ctx: SyncContext,
  object: KubeObject,
  options: HookRunOptions & { wait: boolean; phase: HookPhase },
): Promise<boolean> {
  const deleted = await ctx.manager.prune([{ id: idOf(object), version: versionOf(object.apiVersion) }], {
    application: ctx.job.application,
    appSets: appSetsOf(ctx.job),
    propagationPolicy: "Background",
    hooks: true,
  });
  const failed = failures(deleted);
  if (failed.length > 0) throw new ApplyFailed(deleted, failed);
  const gone = deleted.entries.some((e) => e.action === "deleted");
  if (!gone || !options.wait) return gone;
  const { settled } = await pollHealth(ctx, [object], options, (r) => r.objects[0]?.verdict.status === "Missing");
  if (!settled) {
    const seconds = Math.round(options.timeoutMs / 1000);
    throw new HookFailed(
      options.phase,
      `${subjectOf(refOf(object))}: the previous run's Job is still there ${seconds}s after it was deleted`,
    );
  }
  return true;
}

async function runHook(
  ctx: SyncContext,
  hook: Hook,
  phase: HookPhase,
  commit: string,
  options: HookRunOptions,
): Promise<HookOutcome> {
  const object = placed(ctx, hook.object);
  const ref = refOf(object);
  const base = { phase, id: idOf(object), subject: subjectOf(ref) };
  const log = ctx.log.child({ hook: base.subject, phase });
  if (hook.deletePolicies.includes("BeforeHookCreation")) {
    if (await removeHook(ctx, object, { ...options, wait: true, phase }))
      log.info("deleted the previous run's hook Job");
  }
  const applied = await ctx.manager.apply([object], {
    application: ctx.job.application,
    appSet: ctx.job.appSet,
    commit,
    namespace: ctx.app.spec.destination.namespace || undefined,
    createNamespace: false,
  });
  const failed = failures(applied);
  if (failed.length > 0) {
    if (anyThrottled(failed)) throw new ClusterThrottledError(ctx.job.cluster, options.throttleDelayMs);
    if (anyUnreachable(failed)) throw new ApplyFailed(applied, failed);
    const message = failed[0]?.error?.message ?? "could not be applied";
    return { ...base, succeeded: false, action: "skipped", health: "Unknown", message };
  }
  const action = applied.entries.find((e) => e.id === base.id)?.action ?? "created";
  log.info({ action }, "hook Job applied; waiting for it to finish");
  const { report, settled } = await pollHealth(ctx, [object], options, (r) =>
    FINISHED.includes(r.objects[0]?.verdict.status ?? "Unknown"),
  );
  const verdict = report.objects[0]?.verdict ?? { status: "Unknown" as const, message: "not read" };
  const succeeded = settled && verdict.status === "Healthy";
  const message = !settled
    ? `did not finish within ${Math.round(options.timeoutMs / 1000)}s (${verdict.message})`
    : verdict.status === "Missing"
      ? "the Job was deleted before it was seen to finish (a ttlSecondsAfterFinished of 0?)"
      : verdict.message;
  const policy = succeeded ? "HookSucceeded" : "HookFailed";
  const deleted =
    hook.deletePolicies.includes(policy) && (await removeHook(ctx, object, { ...options, wait: false, phase }));
  log[succeeded ? "info" : "warn"]({ succeeded, deleted, message }, "hook Job finished");
  return { ...base, succeeded, action: deleted ? "deleted" : action, health: verdict.status, message };
}

/**
 * Runs one phase's hooks wave by wave, those of a wave together, each until its Job is Complete or Failed; a
 * failed hook ends the phase. Each hook's delete policy is applied: BeforeHookCreation deletes the previous run's
 * Job first, HookSucceeded and HookFailed delete it once it ended that way.
 */
export async function runHooks(
  ctx: SyncContext,
  plan: SyncPlan,
  phase: HookPhase,
  commit: string,
  options: HookRunOptions,
): Promise<HookPhaseResult> {
  const outcomes: HookOutcome[] = [];
  for (const wave of hookWaves(plan, phase)) {
    const ran = await Promise.all(wave.hooks.map((hook) => runHook(ctx, hook, phase, commit, options)));
    outcomes.push(...ran);
    const failed = ran.find((o) => !o.succeeded);
    if (failed !== undefined) return { outcomes, failed };
  }
  return { outcomes };
}

/** The hooks as the Application's resource status shows them: the latest run of each, with its phase. */
export function hookResources(outcomes: readonly HookOutcome[]): ResourceStatus[] {
  const byId = new Map<string, ResourceStatus>();
  for (const o of outcomes) {
    byId.set(o.id, { id: o.id, action: o.action, health: o.health, message: o.message, hook: o.phase });
  }
  return [...byId.values()];
}
