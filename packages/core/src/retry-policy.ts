import type { ApplicationSpec } from "./appset.ts";
import { parseDuration } from "./duration.ts";
import type { FieldPath } from "./field-path.ts";

/** `syncPolicy.retry` resolved: how often a sync that failed for a passing reason is tried again, and when. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 means the first failure is final. */
  limit: number;
  /** Delay before the first retry. */
  durationMs: number;
  /** Each next delay is the previous one times this. */
  factor: number;
  /** No delay is longer than this. */
  maxDurationMs: number;
}

/** Argo CD's defaults for the fields of `retry` left out. */
export const DEFAULT_RETRY: RetryPolicy = { limit: 5, durationMs: 5_000, factor: 2, maxDurationMs: 180_000 };

export type RetrySpec = NonNullable<NonNullable<ApplicationSpec["syncPolicy"]>["retry"]>;

export interface RetryProblem {
  /** Relative to `syncPolicy.retry`. */
  path: FieldPath;
  message: string;
}

/**
 * The policy a `retry` block asks for, or the problems that keep it from meaning anything. `skip` tells which
 * strings to leave unchecked (a template expression that is only known once rendered).
 */
export function checkRetry(
  retry: RetrySpec,
  skip: (text: string) => boolean = () => false,
): { policy: RetryPolicy; problems: RetryProblem[] } {
  const problems: RetryProblem[] = [];
  const duration = (field: "duration" | "maxDuration", fallback: number): number => {
    const text = retry.backoff?.[field];
    if (text === undefined || skip(text)) return fallback;
    const parsed = parseDuration(text);
    if (!parsed.ok || parsed.ms === 0) {
      const problem = parsed.ok ? `"${text}" must be above zero` : parsed.problem;
      problems.push({ path: ["backoff", field], message: problem });
      return fallback;
    }
    return parsed.ms;
  };
  const policy: RetryPolicy = {
    limit: retry.limit ?? DEFAULT_RETRY.limit,
    durationMs: duration("duration", DEFAULT_RETRY.durationMs),
    factor: retry.backoff?.factor ?? DEFAULT_RETRY.factor,
    maxDurationMs: duration("maxDuration", DEFAULT_RETRY.maxDurationMs),
  };
  if (!(policy.factor >= 1) || !Number.isFinite(policy.factor)) {
    problems.push({ path: ["backoff", "factor"], message: `${policy.factor} is not a number of at least 1` });
    policy.factor = DEFAULT_RETRY.factor;
  }
  if (problems.length === 0 && policy.maxDurationMs < policy.durationMs) {
    problems.push({
      path: ["backoff", "maxDuration"],
      message: `is shorter than backoff.duration; write a maxDuration of at least ${retry.backoff?.duration}`,
    });
  }
  return { policy, problems };
}

/** The policy of an Application's spec, or undefined when it has no `retry` (the worker's default then applies). */
export function retryPolicyOf(spec: ApplicationSpec): RetryPolicy | undefined {
  const retry = spec.syncPolicy?.retry;
  return retry === undefined ? undefined : checkRetry(retry).policy;
}

/** The delay before retry number `retry` (1 = the first), as Argo CD computes it: no jitter, capped. */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  const exponent = Math.min(Math.max(0, retry - 1), 64);
  return Math.round(Math.min(policy.maxDurationMs, policy.durationMs * policy.factor ** exponent));
}
