import { ApiError } from "./api-error.ts";
import { ClusterUnreachable } from "./cluster-unreachable.ts";
import { UnknownKind } from "./unknown-kind.ts";

/** The error itself or anything in its cause chain that matches, so wrapped errors answer the same. */
function findInChain<T>(error: unknown, match: (e: unknown) => e is T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (match(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

function apiReason(error: unknown): ApiError | undefined {
  return findInChain(error, isApiError);
}

export function isNotFound(error: unknown): boolean {
  const api = apiReason(error);
  return api !== undefined && (api.reason === "NotFound" || api.code === 404);
}

/** A field-manager conflict or a stale resourceVersion: someone else holds the field or changed the object. */
export function isConflict(error: unknown): boolean {
  const api = apiReason(error);
  return api !== undefined && (api.reason === "Conflict" || api.code === 409);
}

// The phrases API validation uses for fields that cannot change after creation.
const IMMUTABLE_PHRASES = ["field is immutable", "cannot change roleref", "may not change once set", "is immutable"];

/** The object can only be changed by deleting and re-creating it (a Deployment selector, a Job template …). */
export function isImmutableError(error: unknown): boolean {
  const api = apiReason(error);
  if (api === undefined || (api.reason !== "Invalid" && api.code !== 422)) return false;
  const texts = [api.status.message, ...api.status.causes.map((c) => c.message ?? "")].map((t) => t.toLowerCase());
  return texts.some((text) => IMMUTABLE_PHRASES.some((phrase) => text.includes(phrase)));
}

/** No answer, or the server is overloaded or starting: retry later rather than mark the manifest bad. */
export function isUnreachable(error: unknown): boolean {
  if (findInChain(error, (e): e is ClusterUnreachable => e instanceof ClusterUnreachable) !== undefined) return true;
  const api = apiReason(error);
  return api !== undefined && (api.code === 503 || api.code === 504 || api.reason === "ServiceUnavailable");
}

export function isUnknownKind(error: unknown): boolean {
  return findInChain(error, (e): e is UnknownKind => e instanceof UnknownKind) !== undefined;
}
