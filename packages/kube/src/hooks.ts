import { InvalidSyncAnnotation } from "./errors/invalid-sync-annotation.ts";
import { groupOf, type KubeObject, refOf } from "./object.ts";
import { waveOf } from "./waves.ts";

/** `flotilla.dev/hook: PreSync|Sync|PostSync|SyncFail|Skip` (comma-separated for several phases). */
export const HOOK_ANNOTATION = "flotilla.dev/hook";
/** Argo CD's name for the same; Flotilla's wins when both are set. */
export const ARGOCD_HOOK_ANNOTATION = "argocd.argoproj.io/hook";
/** When a hook's Job is deleted: `HookSucceeded`, `HookFailed`, `BeforeHookCreation` (comma-separated). */
export const HOOK_DELETE_POLICY_ANNOTATION = "flotilla.dev/hook-delete-policy";
export const ARGOCD_HOOK_DELETE_POLICY_ANNOTATION = "argocd.argoproj.io/hook-delete-policy";

/** The phases a hook runs in: before any wave, after the last one is Healthy, or when the sync failed. */
export type HookPhase = "PreSync" | "PostSync" | "SyncFail";
export type HookDeletePolicy = "HookSucceeded" | "HookFailed" | "BeforeHookCreation";

const PHASES: readonly HookPhase[] = ["PreSync", "PostSync", "SyncFail"];
const POLICIES: readonly HookDeletePolicy[] = ["HookSucceeded", "HookFailed", "BeforeHookCreation"];
const HOOK_VALUES = "PreSync, Sync, PostSync, SyncFail or Skip (comma-separated for several phases)";

/** A Job run at a phase of the sync, outside the waves; not in the inventory: its delete policy removes it. */
export interface Hook {
  object: KubeObject;
  phases: HookPhase[];
  deletePolicies: HookDeletePolicy[];
  /** Hooks of one phase run wave by wave too, lowest first. */
  wave: number;
}

/** What an object is to a sync: an ordinary resource (no hook annotation, or `Sync`), a hook, or skipped. */
export type SyncRole = { role: "resource" } | { role: "skip" } | ({ role: "hook" } & Omit<Hook, "object">);

function annotationOf(object: KubeObject, names: readonly string[]): { name: string; value: string } | undefined {
  const annotations = object.metadata.annotations ?? {};
  for (const name of names) {
    const value = annotations[name];
    if (value !== undefined) return { name, value: String(value) };
  }
  return undefined;
}

function listOf(value: string): string[] {
  return value.split(",").map((part) => part.trim());
}

function deletePoliciesOf(object: KubeObject): HookDeletePolicy[] {
  const found = annotationOf(object, [HOOK_DELETE_POLICY_ANNOTATION, ARGOCD_HOOK_DELETE_POLICY_ANNOTATION]);
  // Argo CD's default: the previous run's Job goes just before the next one is created, so its logs stay until then.
  if (found === undefined) return ["BeforeHookCreation"];
  const policies = listOf(found.value);
  const unknown = policies.find((p) => !(POLICIES as readonly string[]).includes(p));
  if (unknown !== undefined) {
    throw new InvalidSyncAnnotation({
      ref: refOf(object),
      annotation: found.name,
      value: found.value,
      expected: `HookSucceeded, HookFailed or BeforeHookCreation (comma-separated); "${unknown}" is none of them`,
    });
  }
  return [...new Set(policies as HookDeletePolicy[])];
}

/**
 * Reads an object's hook and hook-delete-policy annotations (Flotilla's or Argo CD's). Unknown phases, a phase
 * Flotilla does not run (PostDelete), `Sync` or `Skip` mixed with other phases, a hook that is not a Job and a
 * delete policy on an object that is no hook are refused, naming the object and the annotation.
 */
export function syncRoleOf(object: KubeObject): SyncRole {
  const found = annotationOf(object, [HOOK_ANNOTATION, ARGOCD_HOOK_ANNOTATION]);
  const refuse = (annotation: string, value: string, expected: string): never => {
    throw new InvalidSyncAnnotation({ ref: refOf(object), annotation, value, expected });
  };
  if (found === undefined) {
    const policy = annotationOf(object, [HOOK_DELETE_POLICY_ANNOTATION, ARGOCD_HOOK_DELETE_POLICY_ANNOTATION]);
    if (policy !== undefined) {
      refuse(policy.name, policy.value, `no delete policy on an object without a hook annotation (${HOOK_ANNOTATION})`);
    }
    return { role: "resource" };
  }
  const values = listOf(found.value);
  for (const value of values) {
    if (value === "PostDelete") {
      refuse(found.name, found.value, `${HOOK_VALUES}; Flotilla does not run PostDelete hooks`);
    }
    if (!["Sync", "Skip", ...PHASES].includes(value)) refuse(found.name, found.value, HOOK_VALUES);
  }
  const distinct = [...new Set(values)];
  if (distinct.length > 1 && (distinct.includes("Sync") || distinct.includes("Skip"))) {
    refuse(found.name, found.value, "Sync or Skip alone, or any of PreSync, PostSync and SyncFail");
  }
  if (distinct[0] === "Skip") return { role: "skip" };
  if (distinct[0] === "Sync") {
    const policy = annotationOf(object, [HOOK_DELETE_POLICY_ANNOTATION, ARGOCD_HOOK_DELETE_POLICY_ANNOTATION]);
    if (policy !== undefined) {
      refuse(policy.name, policy.value, "no delete policy on a Sync object: it is an ordinary resource, pruned as one");
    }
    return { role: "resource" };
  }
  if (object.kind !== "Job" || groupOf(object.apiVersion) !== "batch") {
    refuse(found.name, found.value, `a hook phase only on a Job (batch/v1), not on a ${object.kind}`);
  }
  return {
    role: "hook",
    phases: PHASES.filter((p) => distinct.includes(p)),
    deletePolicies: deletePoliciesOf(object),
    wave: waveOf(object),
  };
}

/** Whether a live object is a hook, without refusing anything: the drift watch and prune must leave hooks alone. */
export function isHook(object: Pick<KubeObject, "metadata">): boolean {
  const annotations = object.metadata.annotations ?? {};
  const value = annotations[HOOK_ANNOTATION] ?? annotations[ARGOCD_HOOK_ANNOTATION];
  if (value === undefined) return false;
  return listOf(String(value)).some((v) => (PHASES as readonly string[]).includes(v));
}
