import type { Application, ApplicationSet, ApplicationsSyncPolicy } from "./appset.ts";
import type { Generation } from "./generation.ts";
import { applicationHash } from "./spec-hash.ts";

export interface DeletionGuard {
  enabled: boolean;
  /** Share of an ApplicationSet's Applications (0–100) one generation may delete; more is held. */
  maxDeletionPercent: number;
}

export interface DiffPolicy {
  applicationsSync: ApplicationsSyncPolicy;
  deletionGuard: DeletionGuard;
}

export function defaultDiffPolicy(): DiffPolicy {
  return { applicationsSync: "sync", deletionGuard: { enabled: true, maxDeletionPercent: 50 } };
}

export function diffPolicyOf(appSet: ApplicationSet): DiffPolicy {
  const defaults = defaultDiffPolicy();
  const sp = appSet.spec.syncPolicy;
  const guard = sp?.deletionGuard;
  const max = guard?.maxDeletion;
  return {
    applicationsSync: sp?.applicationsSync ?? defaults.applicationsSync,
    deletionGuard: {
      enabled: guard?.enabled ?? defaults.deletionGuard.enabled,
      maxDeletionPercent:
        max === undefined ? defaults.deletionGuard.maxDeletionPercent : typeof max === "number" ? max : parseFloat(max),
    },
  };
}

export interface ApplicationChange {
  application: Application;
  hash: string;
}

export interface ApplicationDiff {
  creates: ApplicationChange[];
  updates: ApplicationChange[];
  /** Names of Applications to delete now. */
  deletes: string[];
  /** Names that exist and are unchanged (or whose changes the policy does not allow). */
  unchanged: string[];
  /** Deletions that were due but are held back, and why. The previous Applications stay in force. */
  held?: { deletes: string[]; reason: string };
}

/**
 * Compares the previous generation (Application name → hash) with the next one. Pure: it decides, the caller acts.
 * Deletion is the one dangerous verb, so every doubt about the next generation resolves to "delete nothing".
 * `hashOf` lets a caller fold more of the desired state than the spec into the hash (the commit a branch
 * resolved to, the rendered bundle), so that a change there is an update too.
 */
export function diffGenerations(
  previous: ReadonlyMap<string, string>,
  next: Generation,
  policy: DiffPolicy,
  hashOf: (application: Application) => string = applicationHash,
): ApplicationDiff {
  if (next.generatorError !== undefined) {
    return {
      creates: [],
      updates: [],
      deletes: [],
      unchanged: [...previous.keys()],
      held: { deletes: [], reason: `generation failed, previous generation stays in force: ${next.generatorError}` },
    };
  }
  const mayUpdate = policy.applicationsSync === "sync" || policy.applicationsSync === "create-update";
  const mayDelete = policy.applicationsSync === "sync" || policy.applicationsSync === "create-delete";

  const creates: ApplicationChange[] = [];
  const updates: ApplicationChange[] = [];
  const unchanged: string[] = [];
  const present = new Set<string>();
  for (const application of next.applications) {
    const name = application.metadata.name;
    present.add(name);
    const hash = hashOf(application);
    const before = previous.get(name);
    if (before === undefined) creates.push({ application, hash });
    else if (before !== hash && mayUpdate) updates.push({ application, hash });
    else unchanged.push(name);
  }

  // An element that failed after its name rendered still stands for its Application: keep it.
  for (const err of next.errors) if (err.application !== undefined) present.add(err.application);
  const stale = [...previous.keys()].filter((name) => !present.has(name));
  const result: ApplicationDiff = { creates, updates, deletes: [], unchanged };
  if (stale.length === 0) return result;
  if (!mayDelete) {
    result.unchanged.push(...stale);
    return result;
  }
  const hold = holdReason(stale.length, previous.size, next, policy.deletionGuard);
  if (hold !== undefined) {
    result.unchanged.push(...stale);
    result.held = { deletes: stale, reason: hold };
  } else {
    result.deletes = stale;
  }
  return result;
}

function holdReason(stale: number, total: number, next: Generation, guard: DeletionGuard): string | undefined {
  const anonymous = next.errors.filter((e) => e.application === undefined).length;
  if (anonymous > 0) {
    return `${anonymous} element(s) failed before their Application was named; deletions wait until every element renders`;
  }
  if (!guard.enabled) return undefined;
  if (stale === total) {
    return `generation would delete all ${total} Application(s); held by the deletion guard`;
  }
  const percent = (stale / total) * 100;
  if (percent > guard.maxDeletionPercent) {
    return `generation would delete ${stale} of ${total} Applications (${percent.toFixed(1)}%), over the ${guard.maxDeletionPercent}% guard; held`;
  }
  return undefined;
}
