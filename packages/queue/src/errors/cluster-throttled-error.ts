/**
 * Thrown by a handler when the cluster asked us to slow down (HTTP 429, API priority and fairness). Not a
 * failure: the job is put back, delayed by `retryAfterMs`, without using up one of its attempts.
 */
export class ClusterThrottledError extends Error {
  override readonly name = "ClusterThrottledError";
  readonly cluster: string;
  readonly retryAfterMs: number;

  constructor(cluster: string, retryAfterMs: number, detail = "the API server is throttling requests") {
    super(`cluster ${cluster}: ${detail}; retrying in ${retryAfterMs} ms`);
    this.cluster = cluster;
    this.retryAfterMs = retryAfterMs;
  }
}

export function isClusterThrottledError(err: unknown): err is ClusterThrottledError {
  return err instanceof ClusterThrottledError;
}
