/**
 * A write carried a fencing token older than the lease's current one: another replica has taken the lease since,
 * and this writer must stop. Nothing was written.
 */
export class StaleFenceError extends Error {
  override readonly name = "StaleFenceError";
  readonly lease: string;
  readonly fence: number;

  constructor(lease: string, fence: number) {
    super(`lease ${lease}: fencing token ${fence} is stale; another holder has taken the lease, write refused`);
    this.lease = lease;
    this.fence = fence;
  }
}

export function isStaleFenceError(err: unknown): err is StaleFenceError {
  return err instanceof StaleFenceError;
}
