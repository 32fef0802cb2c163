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
