import type { Application, ApplicationSet, ApplicationsSyncPolicy } from "./appset.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import type { Generation } from "./generation.ts";
import { specDigest } from "./spec-digest.ts";

export interface DeletionGuard {
  enabled: boolean;
  /**
   * Share of an ApplicationSet's Applications (0–100) that may go, counted against its baseline (the largest
   * size it had within `windowMs`); more is held. At most that share: exactly `maxDeletionPercent` passes.
   */
  maxDeletionPercent: number;
  /** How far back the baseline looks, so that a shrink in steps adds up. @defaultValue 24 h */
  windowMs: number;
}

export interface DiffPolicy {
  applicationsSync: ApplicationsSyncPolicy;
  deletionGuard: DeletionGuard;
}

export const DEFAULT_GUARD_WINDOW_MS = 24 * 3_600_000;

export function defaultDiffPolicy(): DiffPolicy {
  return {
    applicationsSync: "sync",
    deletionGuard: { enabled: true, maxDeletionPercent: 50, windowMs: DEFAULT_GUARD_WINDOW_MS },
  };
}

export function diffPolicyOf(appSet: ApplicationSet): DiffPolicy {
  const defaults = defaultDiffPolicy();
  const sp = appSet.spec.syncPolicy;
  const guard = sp?.deletionGuard;
  const max = guard?.maxDeletion;
  const parsed = guard?.window === undefined ? undefined : parseDuration(guard.window);
  const windowMs = parsed?.ok ? parsed.ms : undefined;
  return {
    applicationsSync: sp?.applicationsSync ?? defaults.applicationsSync,
    deletionGuard: {
      enabled: guard?.enabled ?? defaults.deletionGuard.enabled,
      maxDeletionPercent:
        max === undefined ? defaults.deletionGuard.maxDeletionPercent : typeof max === "number" ? max : parseFloat(max),
      windowMs: windowMs ?? defaults.deletionGuard.windowMs,
    },
  };
}

export interface ApplicationChange {
  application: Application;
  desiredDigest: string;
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

export interface DiffOptions {
  /**
   * The desired digest of an Application: folds more of the desired state than the spec into it (the commit a branch
   * resolved to, the rendered bundle), so that a change there is an update too. Undefined for an Application the
   * caller knows to be unchanged: the digest in force is kept, found by the one lookup the diff makes anyway.
   * @defaultValue `specDigest`
   */
  desiredDigestOf?: (application: Application) => string | undefined;
  /**
   * The largest number of Applications the ApplicationSet had in force within the guard's window (the caller keeps
   * that history); the previous generation's size counts whatever is passed. @defaultValue the previous size
   */
  baseline?: number;
  /** Names an operator released from a hold: deleted if still due, whatever the guard would say. */
  released?: ReadonlySet<string>;
}

/**
 * Compares the previous generation (Application name → desired digest) with the next one. Pure: it decides, the caller acts.
 * Deletion is the one dangerous verb, so every doubt about the next generation resolves to "delete nothing".
 */
export function diffGenerations(
  previous: ReadonlyMap<string, string>,
  next: Generation,
  policy: DiffPolicy,
  options: DiffOptions = {},
): ApplicationDiff {
  const desiredDigestOf = options.desiredDigestOf ?? specDigest;
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
  for (const application of next.applications) {
    const name = application.metadata.name;
    const before = previous.get(name);
    const desiredDigest = desiredDigestOf(application) ?? before;
    if (desiredDigest === undefined) throw new Error(`no desired digest for the new Application "${name}"`);
    if (before === undefined) creates.push({ application, desiredDigest });
    else if (before !== desiredDigest && mayUpdate) updates.push({ application, desiredDigest });
    else unchanged.push(name);
  }
  const stale = staleNames(previous, next, updates.length + unchanged.length);
  const result: ApplicationDiff = { creates, updates, deletes: [], unchanged };
  if (stale.length === 0) return result;
  if (!mayDelete) {
    result.unchanged.push(...stale);
    return result;
  }
  // What an operator released was seen and accepted: it goes, and it no longer counts against the guard.
  const released = stale.filter((name) => options.released?.has(name) === true);
  const due = stale.filter((name) => options.released?.has(name) !== true);
  result.deletes = released;
  if (due.length === 0) return result;
  const before = previous.size - released.length;
  const baseline = Math.max(options.baseline ?? 0, previous.size) - released.length;
  const hold = holdReason({ due: due.length, before, baseline, next, guard: policy.deletionGuard });
  if (hold !== undefined) {
    result.unchanged.push(...due);
    result.held = { deletes: due, reason: hold };
  } else {
    result.deletes = [...released, ...due];
  }
  return result;
}

/**
 * The previous generation's names the next one no longer has. A generation's Application names are unique, so when
 * every previous name was matched (`matched` of them) and no failed element names one, nothing is stale: the usual
 * push, at a hundred thousand Applications, then builds no set of them all.
 */
function staleNames(previous: ReadonlyMap<string, string>, next: Generation, matched: number): string[] {
  const named = next.errors.some((e) => e.application !== undefined);
  if (matched === previous.size && !named) return [];
  const present = new Set<string>();
  for (const application of next.applications) present.add(application.metadata.name);
  // An element that failed after its name rendered still stands for its Application: keep it.
  for (const err of next.errors) if (err.application !== undefined) present.add(err.application);
  return [...previous.keys()].filter((name) => !present.has(name));
}

interface GuardInput {
  /** Deletions due now. */
  due: number;
  /** Applications in force before them. */
  before: number;
  /** The largest size within the window, `before` included. */
  baseline: number;
  next: Generation;
  guard: DeletionGuard;
}

/**
 * Why the due deletions must wait, or undefined when they may go. The shrink is counted against the baseline, not
 * the previous generation: 8 → 6 → 4 → 2 within the window is 8 → 2, held at the step that crosses the threshold.
 */
export function holdReason(input: GuardInput): string | undefined {
  const { due, before, baseline, next, guard } = input;
  const anonymous = next.errors.filter((e) => e.application === undefined).length;
  if (anonymous > 0) {
    return `${anonymous} element(s) failed before their Application was named; deletions wait until every element renders`;
  }
  if (!guard.enabled) return undefined;
  if (due === before) {
    return `generation would delete all ${before} Application(s); held by the deletion guard`;
  }
  const lost = baseline - (before - due);
  // Integer comparison: "at most half" must let exactly half through, whatever floating point makes of 50/100.
  if (lost * 100 <= guard.maxDeletionPercent * baseline) return undefined;
  const percent = ((lost / baseline) * 100).toFixed(1);
  if (baseline === before) {
    return `generation would delete ${due} of ${before} Applications (${percent}%), over the ${guard.maxDeletionPercent}% guard; held`;
  }
  return (
    `generation would delete ${due} of ${before} Applications, leaving ${before - due} of the ${baseline} it had ` +
    `within ${formatDuration(guard.windowMs)} (${percent}% gone), over the ${guard.maxDeletionPercent}% guard; held`
  );
}
