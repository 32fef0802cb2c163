import type { DriftEntry } from "@flotilla/kube";
import { isUnreachable } from "@flotilla/kube";
import { StepFailed } from "./step-failed.ts";

/** The dry-run that compares the cluster with Git could not reach the cluster; retried. */
export class DriftCheckFailed extends StepFailed {
  override readonly name = "DriftCheckFailed";
  readonly reason = "DriftCheckFailed" as const;

  constructor(failed: readonly DriftEntry[]) {
    const first = failed[0]?.error?.message ?? "dry-run failed";
    super(`drift check failed for ${failed.length} object(s): ${first}`, true);
  }
}

/** Dry-runs that failed because the cluster did not answer, as opposed to an object the server refuses. */
export function unreachableDrift(drift: readonly DriftEntry[]): DriftEntry[] {
  return drift.filter((d) => d.error !== undefined && isUnreachable(d.error));
}
