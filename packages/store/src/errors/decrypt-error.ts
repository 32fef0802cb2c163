/**
 * A stored secret could not be decrypted: wrong key, a tampered blob, or a blob moved from another record. Which of
 * these it was is deliberately not said (AES-GCM cannot tell them apart, and guessing would help an attacker).
 */
export class DecryptError extends Error {
  override readonly name = "DecryptError";
  /** What the secret belongs to, e.g. `cluster prod-eu`; never the secret. */
  readonly subject: string;

  constructor(subject: string, reason: string) {
    super(`cannot decrypt credentials of ${subject}: ${reason}`);
    this.subject = subject;
  }
}

export function isDecryptError(err: unknown): err is DecryptError {
  return err instanceof DecryptError;
}
