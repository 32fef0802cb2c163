import { type Application, retryDelayMs, retryPolicyOf } from "@flotilla/core";
/** The `backoff.type` our jobs carry; workers resolve it to `jitteredBackoff`. */
export const BACKOFF_TYPE = "flotilla-jitter";

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @defaultValue 1000 */
  baseMs?: number;
  /** Ceiling of the delay, before jitter. @defaultValue 300000 (5 minutes) */
  maxMs?: number;
  /** Source of randomness in [0, 1). @defaultValue `Math.random` */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of min(max, base·2^(n-1)).
 * Jitter spreads the retries of many Applications that failed together (a cluster that came back) so that they
 * do not return as one burst; keeping half the delay fixed keeps a floor under each wait.
 */
export function jitteredBackoff(options: BackoffOptions = {}): (attemptsMade: number) => number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 300_000;
  const random = options.random ?? Math.random;
  return (attemptsMade) => {
    const exponent = Math.max(0, attemptsMade - 1);
    // Cap the exponent before computing 2^n so that a job on its 2000th attempt does not produce Infinity.
    const ceiling = Math.min(max, base * 2 ** Math.min(exponent, 52));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}

/**
 * The delay before retry number `attemptsMade` of a job whose Application sets `syncPolicy.retry`, exactly as
 * it asks (Argo CD's schedule, no jitter); undefined for any other job, which gets the worker's default policy.
 */
export function applicationRetryDelay(app: Application | undefined, attemptsMade: number): number | undefined {
  const policy = app === undefined ? undefined : retryPolicyOf(app.spec);
  return policy === undefined ? undefined : retryDelayMs(policy, attemptsMade);
}

/** Attempts a job gets: the Application's `retry.limit` retries plus the first attempt, or the queue's default. */
export function attemptsFor(app: Application | undefined, fallback: number): number {
  const policy = app === undefined ? undefined : retryPolicyOf(app.spec);
  return policy === undefined ? fallback : policy.limit + 1;
}
