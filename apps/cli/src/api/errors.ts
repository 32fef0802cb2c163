import { ExitCode } from "../exit-codes.ts";

/** A CLI failure that knows its exit code; main prints its message and exits with it. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The API server did not answer (refused, timed out, DNS): nothing was done. */
export class ServerUnreachableError extends CliError {
  override readonly name = "ServerUnreachableError";
  constructor(message: string) {
    super(message, ExitCode.Unavailable);
  }
}

/** The API answered with an error body: `{ error, message, field? }`. */
export class ApiRequestError extends CliError {
  override readonly name = "ApiRequestError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(options: { status: number; code: string; message: string; field?: string }) {
    super(options.message, exitCodeOf(options.status));
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
  }
}

/** 401/403 → unauthorized; other 4xx → bad input (a 404 is a name that does not exist: the input) ; 5xx → failed. */
export function exitCodeOf(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.Unauthorized;
  if (status >= 400 && status < 500 && status !== 409) return ExitCode.InvalidInput;
  return ExitCode.Unwell;
}
