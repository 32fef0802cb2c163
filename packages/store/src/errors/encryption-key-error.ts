export type EncryptionKeyProblem = "missing" | "invalid" | "unreadable" | "ambiguous" | "mismatch";

/**
 * The encryption key cannot be used: the process must not start. The message names the configuration to fix and
 * never contains key material.
 */
export class EncryptionKeyError extends Error {
  override readonly name = "EncryptionKeyError";
  readonly problem: EncryptionKeyProblem;

  constructor(problem: EncryptionKeyProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

export function isEncryptionKeyError(err: unknown): err is EncryptionKeyError {
  return err instanceof EncryptionKeyError;
}
