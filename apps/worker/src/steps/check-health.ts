import { formatId, groupOf, type HealthReport, type KubeObject, parseId } from "@flotilla/kube";
import type { Bundle } from "@flotilla/render";
import type { AppStatus } from "@flotilla/status";
import type { HealthSettler, ReadHealth } from "../drift/health-settler.ts";
import { HealthCheckFailed } from "../errors/health-check-failed.ts";
import { objectsOf } from "./objects.ts";
import type { SyncContext } from "./sync-context.ts";

export interface HealthStepOptions {
  /**
   * How long after a sync that ended Progressing the worker re-reads the Application's health by itself, in case a
   * watch event is missed; the periodic re-sync settles it past that. No job waits for it. @defaultValue 30000
   */
  waitMs: number;
  /** The first of those re-reads comes 4 × this after the sync, each next one twice as late. @defaultValue 1000 */
  pollMs: number;
}

/**
 * Reads the applied objects back once and judges them. A roll-out still Progressing is not waited for here: the
 * job's slot goes to the next sync, and the health settler finishes the judgement (see `HealthSettler`).
 */
export async function checkHealth(ctx: SyncContext, bundle: Bundle): Promise<HealthReport> {
  return checkObjects(ctx, objectsOf(bundle));
}

/** Reads some of the Application's objects back once (a wave, a hook) and judges them. */
export async function checkObjects(ctx: SyncContext, objects: readonly KubeObject[]): Promise<HealthReport> {
  const namespace = ctx.app.spec.destination.namespace || undefined;
  try {
    return await ctx.manager.health(objects, namespace === undefined ? {} : { namespace });
  } catch (err) {
    throw new HealthCheckFailed(err);
  }
}

/**
 * Hands an Application whose sync ended Progressing to this process's health settler, which stores its health
 * when the roll-out ends (see `HealthSettler`); `startedAt` is when the sync began, `health` what `status` says.
 */
export function settleHealth(
  settler: HealthSettler,
  ctx: SyncContext,
  bundle: Bundle,
  status: AppStatus,
  health: HealthReport,
  startedAt: Date,
  options: HealthStepOptions,
): void {
  const read: ReadHealth = (only) =>
    only === undefined ? checkHealth(ctx, bundle) : checkObjects(ctx, objectsNamed(objectsOf(bundle), only));
  settler.syncEnded(ctx.ref, startedAt.getTime(), status, health, read, ctx.log, options);
}

/**
 * The bundle's objects that `ids` name. Matched without the namespace, which a bundle's object may leave to the
 * destination: at worst an object of the same kind and name in another namespace is read too.
 */
function objectsNamed(objects: readonly KubeObject[], ids: ReadonlySet<string>): KubeObject[] {
  const unscoped = (ref: { group: string; kind: string; name: string }) =>
    formatId({ group: ref.group, kind: ref.kind, namespace: "", name: ref.name });
  const wanted = new Set([...ids].map((id) => unscoped(parseId(id))));
  return objects.filter((o) =>
    wanted.has(unscoped({ group: groupOf(o.apiVersion), kind: o.kind, name: o.metadata.name })),
  );
}
