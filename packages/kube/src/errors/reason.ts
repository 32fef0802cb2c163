import { ApiError } from "./api-error.ts";
import { isImmutableError } from "./predicates.ts";

/** A short "why" for the parenthesis of an object error: the field and the fact, not the whole API message. */
export function shortReason(cause: unknown): string {
  if (cause instanceof ApiError) {
    if (isImmutableError(cause)) {
      const field = cause.status.causes.find((c) => c.field !== undefined)?.field;
      return field === undefined ? "field is immutable" : `${field}: field is immutable`;
    }
    const causes = cause.status.causes.filter((c) => c.message !== undefined);
    if (causes.length > 0) {
      return causes.map((c) => (c.field === undefined ? c.message : `${c.field}: ${c.message}`)).join("; ");
    }
    return cause.status.message || cause.status.reason || `HTTP ${cause.status.code}`;
  }
  return cause instanceof Error ? cause.message : String(cause);
}
