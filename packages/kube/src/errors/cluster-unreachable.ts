import { KubeError } from "./kube-error.ts";

/** No answer from the API server (refused, reset, DNS, TLS or timed out): worth retrying later, not a bad manifest. */
export class ClusterUnreachable extends KubeError {
  override readonly name = "ClusterUnreachable";

  readonly server: string;

  constructor(server: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cluster at ${server} unreachable: ${detail}`, undefined, { cause });
    this.server = server;
  }
}
