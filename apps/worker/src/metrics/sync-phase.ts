import type { SyncPhase } from "@flotilla/metrics";
import type { SyncOutcome } from "./sync-observer.ts";

/**
 * A sync's phase as Argo CD counts `argocd_app_sync_total`: only jobs that applied or failed are syncs; a drift
 * check or a look at a manual Application is a refresh and counts none. `Failed`: the input is bad (a manifest the
 * server refuses, a render error) and nothing retries it until Git changes. `Error`: the sync could not run (the
 * cluster or Git unreachable, an internal error) and the queue retries it (a last attempt that fails too is still an Error).
 */
export function syncPhaseOf(outcome: SyncOutcome): SyncPhase | undefined {
  switch (outcome.kind) {
    case "applied":
      return "Succeeded";
    case "looked":
      return undefined;
    case "failed":
      return outcome.retryable ? "Error" : "Failed";
  }
}
