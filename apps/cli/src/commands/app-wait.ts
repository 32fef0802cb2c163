import type { AppDetail } from "@flotilla/api-contract/types";

/** What `app sync --wait` waits for: the state the sync was asked to apply. */
export interface SyncAsked {
  desiredDigest: string;
  /** The request recorded for a manual Application: until it is settled, what the status says predates the sync. */
  requestId?: string;
  /** ISO-8601: an Error written before this is not this sync's. */
  since: string;
}

export type WaitVerdict = { state: "converged" | "failed" | "waiting"; line: string };

/**
 * Where a synced Application stands, from its detail: converged when it is Synced at the asked desired digest and
 * Healthy (and a manual one's request was honoured); failed when, after the sync, it is Degraded or in an Error no
 * retry will fix; waiting otherwise. `line` is the progress shown to the person waiting.
 */
export function waitVerdict(detail: AppDetail, asked: SyncAsked): WaitVerdict {
  const s = detail.status;
  const name = `${detail.application} on ${detail.cluster}`;
  if (s === undefined) return { state: "waiting", line: `${name}: not synced yet` };
  const pending = asked.requestId !== undefined && detail.syncRequest?.id === asked.requestId;
  const atDigest = s.desiredDigest === asked.desiredDigest;
  const line = `${name}: ${s.sync}, ${s.health}${s.revision === undefined ? "" : ` at ${s.revision.slice(0, 12)}`}${
    pending ? " (sync requested, waiting for a worker)" : ""
  }${s.healthMessage !== undefined && s.health !== "Healthy" ? `: ${s.healthMessage}` : ""}`;
  if (pending) return { state: "waiting", line };
  const error = s.lastError;
  if (s.sync === "Error" && error !== undefined && !error.retrying && error.at >= asked.since) {
    return { state: "failed", line: `${line}: ${error.reason}: ${error.message}` };
  }
  if (!atDigest || s.sync === "Error") return { state: "waiting", line };
  if (s.health === "Degraded") return { state: "failed", line };
  if (s.sync === "Synced" && s.health === "Healthy") return { state: "converged", line };
  return { state: "waiting", line };
}
