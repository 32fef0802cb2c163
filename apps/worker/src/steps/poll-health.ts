import { setTimeout as sleep } from "node:timers/promises";
import type { HealthReport, KubeObject } from "@flotilla/kube";
import { checkObjects } from "./check-health.ts";
import type { SyncContext } from "./sync-context.ts";

export interface PollOptions {
  /** How long to keep reading before giving up. */
  timeoutMs: number;
  /** Time between two reads. */
  pollMs: number;
}

/**
 * Reads the objects' health until `settled` accepts a report or the time is up; returns the last report and
 * whether it settled. Stops (throws) when the worker shuts down.
 */
export async function pollHealth(
  ctx: SyncContext,
  objects: readonly KubeObject[],
  options: PollOptions,
  settled: (report: HealthReport) => boolean,
): Promise<{ report: HealthReport; settled: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const report = await checkObjects(ctx, objects);
    if (settled(report)) return { report, settled: true };
    if (Date.now() >= deadline) return { report, settled: false };
    await sleep(Math.max(0, Math.min(options.pollMs, deadline - Date.now())), undefined, { signal: ctx.signal });
  }
}
