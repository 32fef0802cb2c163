/**
 * An answer the API gives on purpose, with the HTTP status and a stable `error` code clients branch on. `field`
 * names the request field at fault (`body.labels.env`, `query.limit`), so a person fixes the right thing.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(options: { status: number; code: string; message: string; field?: string }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
  }
}

export const notFound = (what: string) => new ApiError({ status: 404, code: "NotFound", message: `${what} not found` });

export const badRequest = (message: string, field?: string) =>
  new ApiError({ status: 400, code: "BadRequest", message, ...(field !== undefined && { field }) });

export const conflict = (message: string) => new ApiError({ status: 409, code: "Conflict", message });

/** The body every 4xx and 5xx carries. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}
