import { ApiError, type ChangeSetEntry, isUnreachable } from "@flotilla/kube";

/** At most this many objects are named in a message; the per-resource status has them all. */
const NAMED = 5;

export function describeFailures(verb: string, failed: readonly ChangeSetEntry[]): string {
  const named = failed.slice(0, NAMED).map((e) => e.error?.message ?? `${e.subject} failed`);
  const more = failed.length > NAMED ? `; and ${failed.length - NAMED} more` : "";
  return `${failed.length} object(s) failed to ${verb}: ${named.join("; ")}${more}`;
}

/** Whether any failure was the cluster not answering, which a retry can fix. */
export function anyUnreachable(failed: readonly ChangeSetEntry[]): boolean {
  return failed.some((e) => isUnreachable(e.error));
}

/** HTTP 429 anywhere in a failure's cause chain: the cluster asks us to slow down, which is not a failure. */
export function anyThrottled(failed: readonly ChangeSetEntry[]): boolean {
  return failed.some((e) => {
    let current: unknown = e.error;
    for (let depth = 0; depth < 10 && current instanceof Error; depth++) {
      if (current instanceof ApiError && current.code === 429) return true;
      current = current.cause;
    }
    return false;
  });
}
