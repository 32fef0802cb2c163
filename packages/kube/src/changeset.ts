import type { KubeError } from "./errors/kube-error.ts";
import type { HealthVerdict } from "./health.ts";
import type { ObjectRef } from "./object.ts";
import { formatId, subjectOf } from "./object.ts";

/**
 * What happened to one object. `skipped` means nothing was done to it: a prune held back by policy or ownership,
 * or an object that failed (then the entry carries the error).
 */
export type Action = "created" | "configured" | "unchanged" | "deleted" | "skipped";

export interface ChangeSetEntry {
  /** Inventory id, `group/kind/namespace/name`. */
  id: string;
  /** `Kind/namespace/name`, for people. */
  subject: string;
  action: Action;
  /** The API version the object was applied or deleted with. */
  version: string;
  /** Why an object was skipped, in words. */
  reason?: string;
  /** Set when the object failed; the rest of the set was still processed. */
  error?: KubeError;
  /**
   * False for objects Flotilla touched without taking ownership (a namespace made by CreateNamespace), which
   * therefore stay out of the inventory and are never pruned.
   */
  owned: boolean;
  /**
   * The object's health judged from what the server returned for the apply (status included), so a caller can
   * know it without reading the object again. Only the verdict is kept: never the object, which may be a Secret.
   */
  health?: HealthVerdict;
  /** The resourceVersion of the object `health` judged: a later watch event of it is newer if this is lower. */
  resourceVersion?: string;
}

export interface ChangeSet {
  entries: ChangeSetEntry[];
}

export function entryFor(
  ref: ObjectRef,
  version: string,
  action: Action,
  extra: Partial<Pick<ChangeSetEntry, "reason" | "error" | "owned" | "health" | "resourceVersion">> = {},
): ChangeSetEntry {
  return { id: formatId(ref), subject: subjectOf(ref), version, action, owned: true, ...extra };
}

export function failures(changeSet: ChangeSet): ChangeSetEntry[] {
  return changeSet.entries.filter((entry) => entry.error !== undefined);
}

/** True when any object changed, so a caller knows whether to record a new history entry. */
export function hasChanges(changeSet: ChangeSet): boolean {
  return changeSet.entries.some((e) => e.action === "created" || e.action === "configured" || e.action === "deleted");
}

/** "Deployment/ns/web configured", one line per entry, as operators read apply output. */
export function formatChangeSet(changeSet: ChangeSet): string {
  return changeSet.entries
    .map((e) => {
      if (e.error !== undefined) return `${e.subject} failed: ${e.error.message}`;
      return e.reason === undefined ? `${e.subject} ${e.action}` : `${e.subject} ${e.action} (${e.reason})`;
    })
    .join("\n");
}
