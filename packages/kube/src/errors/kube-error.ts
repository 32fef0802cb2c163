import type { ObjectRef } from "../object.ts";

/** The base of every error this package throws, so callers can tell ours from programming errors. */
export abstract class KubeError extends Error {
  /** The object involved, when there is one. */
  readonly ref: ObjectRef | undefined;

  constructor(message: string, ref: ObjectRef | undefined, options?: ErrorOptions) {
    super(message, options);
    this.ref = ref;
  }
}
