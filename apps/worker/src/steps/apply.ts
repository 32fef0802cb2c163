import { syncOptionsOf } from "@flotilla/core";
import {
  type ChangeSet,
  type ChangeSetEntry,
  failures,
  type HealthReport,
  healthOfApplied,
  type SyncPlan,
  type Wave,
} from "@flotilla/kube";
import { ClusterThrottledError } from "@flotilla/queue";
import { ApplyFailed } from "../errors/apply-failed.ts";
import { anyThrottled } from "../errors/object-failures.ts";
import { SyncWaveFailed } from "../errors/sync-wave-failed.ts";
import { type PollOptions, pollHealth } from "./poll-health.ts";
import type { SyncContext } from "./sync-context.ts";

export interface ApplyStepOptions {
  /** How long a throttled cluster is left alone before the job runs again. @defaultValue 5000 */
  throttleDelayMs: number;
}

export interface WaveOptions {
  /**
   * Create the destination namespace first if missing. @defaultValue the sync option `CreateNamespace`
   */
  createNamespace?: boolean;
  /** What an earlier apply of this sync landed (the Namespaces and CRDs applied before PreSync hooks). */
  before?: readonly ChangeSetEntry[];
  /** How long each wave but the last may take to become Healthy: the health timeout. */
  waves: PollOptions;
  /** Wait for the last wave too (PostSync hooks run only once it is Healthy). */
  waitForLast: boolean;
  /**
   * Read each object before applying it, to tell `configured` from `unchanged`; needless when the sync's commit is
   * new to the Application, since every object then gets a new commit annotation. @defaultValue true
   */
  readLive?: boolean;
}

export interface Applied {
  changeSet: ChangeSet;
  /** Whether some wave was waited for: then the apply's own health verdicts are out of date. */
  waited: boolean;
}

/** How many objects that are not Healthy a wave's failure names; the resource status has them all. */
const NAMED = 5;

function unhealthyOf(report: HealthReport): string {
  const bad = report.objects.filter((o) => o.verdict.status !== "Healthy");
  const named = bad.slice(0, NAMED).map((o) => `${o.subject} ${o.verdict.status} (${o.verdict.message})`);
  return `${named.join("; ")}${bad.length > NAMED ? `; and ${bad.length - NAMED} more` : ""}`;
}

/** A failed Job never recovers: waiting longer for its wave is pointless. */
function failedJob(report: HealthReport): boolean {
  return report.objects.some((o) => o.verdict.status === "Degraded" && o.id.startsWith("batch/Job/"));
}

/** Waits until a wave just applied is Healthy; a wave that is not within the health timeout fails the sync. */
async function waitForWave(ctx: SyncContext, wave: Wave, applied: ChangeSet, options: PollOptions): Promise<void> {
  if (healthOfApplied(applied)?.aggregate.status === "Healthy") return;
  const { report, settled } = await pollHealth(
    ctx,
    wave.objects,
    options,
    (r) => r.aggregate.status === "Healthy" || failedJob(r),
  );
  if (settled && report.aggregate.status === "Healthy") {
    ctx.log.debug({ wave: wave.wave }, "sync wave Healthy");
    return;
  }
  const retryable = !failedJob(report);
  const within = settled ? "" : ` within ${Math.round(options.timeoutMs / 1000)}s`;
  throw new SyncWaveFailed({ wave: wave.wave, detail: `not Healthy${within}: ${unhealthyOf(report)}`, retryable });
}

/**
 * Server-side applies the plan's waves, lowest first, each once the one before is Healthy. Per-object failures
 * come back on the change set, never as an exception, so `onApplied` records what did land (after each wave)
 * before this step decides to fail; a failed wave stops the later ones.
 */
export async function apply(
  ctx: SyncContext,
  plan: SyncPlan,
  commit: string,
  options: ApplyStepOptions & WaveOptions,
  onApplied: (changeSet: ChangeSet) => Promise<void>,
): Promise<Applied> {
  const { app, job } = ctx;
  const syncOptions = syncOptionsOf(app.spec.syncPolicy?.syncOptions);
  // An empty bundle still gets its destination namespace when CreateNamespace asks for it.
  const waves: Wave[] = plan.waves.length > 0 ? plan.waves : [{ wave: 0, objects: [] }];
  const entries: ChangeSetEntry[] = [...(options.before ?? [])];
  const createNamespace = options.createNamespace ?? syncOptions.createNamespace;
  let waited = false;
  for (const [index, wave] of waves.entries()) {
    const changeSet = await ctx.manager.apply(wave.objects, {
      application: job.application,
      appSet: job.appSet,
      commit,
      namespace: app.spec.destination.namespace || undefined,
      createNamespace: index === 0 && createNamespace,
      readLive: options.readLive ?? true,
    });
    entries.push(...changeSet.entries);
    await onApplied({ entries: [...entries] });
    const failed = failures(changeSet);
    if (failed.length > 0) {
      if (anyThrottled(failed)) throw new ClusterThrottledError(job.cluster, options.throttleDelayMs);
      throw new ApplyFailed({ entries }, failed);
    }
    const last = index === waves.length - 1;
    if (last && !options.waitForLast) continue;
    await waitForWave(ctx, wave, changeSet, options.waves);
    waited = true;
  }
  return { changeSet: { entries }, waited };
}
