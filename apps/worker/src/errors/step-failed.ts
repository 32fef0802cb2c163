import type { FailureReason } from "@flotilla/status";

/**
 * The base of every reconcile step's error. Each step says what it means for the job: `retryable` (the cluster
 * or Git was unreachable: try again with backoff) or not (the input is bad: record Error and stop retrying).
 */
export abstract class StepFailed extends Error {
  abstract readonly reason: FailureReason;
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.retryable = retryable;
  }
}

export function isStepFailed(err: unknown): err is StepFailed {
  return err instanceof StepFailed;
}
