/**
 * A job whose payload cannot be used. Retrying cannot fix it, so the worker fails it at once (BullMQ's
 * UnrecoverableError) with this message, which names the queue, the job and the fields at fault.
 */
export class InvalidJobError extends Error {
  override readonly name = "InvalidJobError";
  readonly problems: readonly string[];

  constructor(what: string, problems: readonly string[]) {
    super(`${what}: invalid payload: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

export function isInvalidJobError(err: unknown): err is InvalidJobError {
  return err instanceof InvalidJobError;
}
