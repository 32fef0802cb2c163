import { type Hook, type HookPhase, syncRoleOf } from "./hooks.ts";
import type { KubeObject } from "./object.ts";
import { applyStage, sortForApply } from "./order.ts";
import { planWaves, type Wave } from "./waves.ts";

/** What one sync does, in order: PreSync hooks, the waves, PostSync hooks; SyncFail hooks when it fails. */
export interface SyncPlan {
  /** The ordinary resources by wave: what the inventory, drift and health are about. */
  waves: Wave[];
  hooks: Hook[];
  /** Objects annotated `Skip`: never applied. */
  skipped: KubeObject[];
}

/** Hooks of one phase, grouped by their wave, lowest first. */
export interface HookWave {
  wave: number;
  hooks: Hook[];
}

/**
 * Splits a rendered set into its waves and hooks. Pure; throws `InvalidSyncAnnotation` for the first object whose
 * wave or hook annotation cannot be understood, so nothing of a set with a typo is applied.
 */
export function planSync(objects: readonly KubeObject[]): SyncPlan {
  const resources: KubeObject[] = [];
  const hooks: Hook[] = [];
  const skipped: KubeObject[] = [];
  for (const object of objects) {
    const role = syncRoleOf(object);
    if (role.role === "resource") resources.push(object);
    else if (role.role === "skip") skipped.push(object);
    else hooks.push({ object, phases: role.phases, deletePolicies: role.deletePolicies, wave: role.wave });
  }
  return { waves: planWaves(resources), hooks, skipped };
}

/**
 * The plan's Namespaces and CRDs, and the plan without them: applied before PreSync hooks, which may need the
 * namespace they run in or a custom resource's kind.
 */
export function foundationOf(plan: SyncPlan): { foundation: KubeObject[]; rest: SyncPlan } {
  const foundation = plan.waves.flatMap((w) => w.objects.filter((o) => applyStage(o) === 0));
  const waves = plan.waves
    .map((w) => ({ wave: w.wave, objects: w.objects.filter((o) => applyStage(o) !== 0) }))
    .filter((w) => w.objects.length > 0);
  return { foundation, rest: { ...plan, waves } };
}

/** The ordinary resources of a plan, in apply order. */
export function resourcesOf(plan: SyncPlan): KubeObject[] {
  return plan.waves.flatMap((w) => w.objects);
}

/** The hooks of one phase, wave by wave, kind and name order inside each. */
export function hookWaves(plan: SyncPlan, phase: HookPhase): HookWave[] {
  const byWave = new Map<number, Hook[]>();
  for (const hook of plan.hooks) {
    if (!hook.phases.includes(phase)) continue;
    byWave.set(hook.wave, [...(byWave.get(hook.wave) ?? []), hook]);
  }
  return [...byWave.entries()]
    .sort(([a], [b]) => a - b)
    .map(([wave, hooks]) => {
      const order = sortForApply(hooks.map((h) => h.object));
      return { wave, hooks: order.map((o) => hooks.find((h) => h.object === o) as Hook) };
    });
}
