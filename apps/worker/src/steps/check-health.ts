import { setTimeout as sleep } from "node:timers/promises";
import type { HealthReport } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";
import { HealthCheckFailed } from "../errors/health-check-failed.ts";
import { objectsOf } from "./objects.ts";
import type { SyncContext } from "./sync-context.ts";

export interface HealthStepOptions {
  /**
   * How long a sync waits for Progressing objects to settle before it records Progressing and lets the job go.
   * 0 reads health once. @defaultValue 30000
   */
  waitMs: number;
  /** Between reads while waiting. @defaultValue 1000 */
  pollMs: number;
}

/** Reads the applied objects back and judges them, waiting a bounded time for a roll-out to finish. */
export async function checkHealth(ctx: SyncContext, bundle: Bundle, options: HealthStepOptions): Promise<HealthReport> {
  const objects = objectsOf(bundle);
  const namespace = ctx.app.spec.destination.namespace || undefined;
  const deadline = Date.now() + options.waitMs;
  try {
    for (;;) {
      const report = await ctx.manager.health(objects, namespace === undefined ? {} : { namespace });
      if (report.aggregate.status !== "Progressing" || Date.now() >= deadline || ctx.signal.aborted) return report;
      await sleep(Math.min(options.pollMs, Math.max(0, deadline - Date.now())), undefined, { signal: ctx.signal });
    }
  } catch (err) {
    throw new HealthCheckFailed(err);
  }
}
