export type RedisPolicyProblem = "eviction" | "config-refused";

/**
 * Redis is not fit to hold Flotilla's state: the process must not start. The message says what to change, and
 * names the flag for a managed Redis that hides CONFIG.
 */
export class RedisPolicyError extends Error {
  override readonly name = "RedisPolicyError";
  readonly problem: RedisPolicyProblem;

  constructor(problem: RedisPolicyProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

export function isRedisPolicyError(err: unknown): err is RedisPolicyError {
  return err instanceof RedisPolicyError;
}
