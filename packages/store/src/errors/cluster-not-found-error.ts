export class ClusterNotFoundError extends Error {
  override readonly name = "ClusterNotFoundError";
  readonly cluster: string;

  constructor(cluster: string) {
    super(`cluster ${cluster} is not registered`);
    this.cluster = cluster;
  }
}

export function isClusterNotFoundError(err: unknown): err is ClusterNotFoundError {
  return err instanceof ClusterNotFoundError;
}
