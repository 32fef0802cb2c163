import type { FailureReason } from "@flotilla/status";
import { isStepFailed } from "./step-failed.ts";

export interface Failure {
  reason: FailureReason;
  message: string;
  retryable: boolean;
}

/**
 * The one place an error becomes a status reason. Anything that is not a step error is a bug or an outage we
 * did not foresee: retried, and reported as InternalError so it stands out.
 */
export function failureOf(err: unknown): Failure {
  if (isStepFailed(err)) return { reason: err.reason, message: err.message, retryable: err.retryable };
  const message = err instanceof Error ? err.message : String(err);
  return { reason: "InternalError", message, retryable: true };
}
