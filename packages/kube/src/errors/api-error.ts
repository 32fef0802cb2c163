import type { ObjectRef } from "../object.ts";
import { KubeError } from "./kube-error.ts";

/** One entry of a Status' details.causes: which field was wrong and why. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The parts of a metav1.Status the API server returns with a failed request. */
export interface ApiStatus {
  code: number;
  /** Machine-readable StatusReason: NotFound, Conflict, Invalid, AlreadyExists, Forbidden … */
  reason: string;
  message: string;
  causes: StatusCause[];
}

/** The API server answered, and said no. */
export class ApiError extends KubeError {
  override readonly name = "ApiError";
  readonly status: ApiStatus;

  constructor(status: ApiStatus, ref?: ObjectRef) {
    super(status.message || `${status.reason || "request failed"} (HTTP ${status.code})`, ref);
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason;
  }
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads a Status out of a response body; bodies that are not a Status (a proxy's HTML page) still give a code. */
export function statusFromBody(code: number, body: string): ApiStatus {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code, reason: "", message: body.trim().slice(0, 300), causes: [] };
  }
  const record = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const details = (typeof record["details"] === "object" && record["details"] !== null ? record["details"] : {}) as {
    causes?: unknown;
  };
  const causes = Array.isArray(details.causes)
    ? details.causes.flatMap((c: unknown): StatusCause[] => {
        if (typeof c !== "object" || c === null) return [];
        const cause = c as Record<string, unknown>;
        const out: StatusCause = {};
        const reason = asString(cause["reason"]);
        const message = asString(cause["message"]);
        const field = asString(cause["field"]);
        if (reason !== undefined) out.reason = reason;
        if (message !== undefined) out.message = message;
        if (field !== undefined) out.field = field;
        return [out];
      })
    : [];
  return {
    code: typeof record["code"] === "number" ? record["code"] : code,
    reason: asString(record["reason"]) ?? "",
    message: asString(record["message"]) ?? "",
    causes,
  };
}
