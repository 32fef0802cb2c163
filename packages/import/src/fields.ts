import type { FieldPath } from "@flotilla/core";
import type { DocumentContext } from "./document-context.ts";

export type JsonMap = Record<string, unknown>;

export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export interface FieldRules {
  /** Fields converted by the caller. */
  known: readonly string[];
  /** Argo CD fields with no Flotilla form, and why (what to do instead). */
  refused?: Readonly<Record<string, string>>;
}

/**
 * Checks a map's fields: a refused field is `unsupported` (valid Argo CD, no Flotilla form), a field Argo CD does
 * not have either is `invalid` (Argo CD's CRD would not keep it). Returns false when the value is not a map.
 */
export function checkFields(
  ctx: DocumentContext,
  value: unknown,
  path: FieldPath,
  rules: FieldRules,
): value is JsonMap {
  if (!isMap(value)) {
    ctx.invalid(path, `expected a map, got ${describe(value)}`);
    return false;
  }
  for (const key of Object.keys(value)) {
    if (rules.known.includes(key)) continue;
    const why = rules.refused?.[key];
    if (why !== undefined) ctx.unsupported([...path, key], why);
    else ctx.invalid([...path, key], `unknown field; Argo CD's ${lastName(path)} has ${rules.known.join(", ")}`);
  }
  return true;
}

function lastName(path: FieldPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return String(path[i]);
  return "document";
}

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${JSON.stringify(value).slice(0, 60)}`;
}

export function expectString(ctx: DocumentContext, value: unknown, path: FieldPath): value is string {
  if (typeof value === "string") return true;
  ctx.invalid(path, `expected a string, got ${describe(value)}`);
  return false;
}

export function expectBoolean(ctx: DocumentContext, value: unknown, path: FieldPath): value is boolean {
  if (typeof value === "boolean") return true;
  ctx.invalid(path, `expected true or false, got ${describe(value)}`);
  return false;
}

export function expectList(ctx: DocumentContext, value: unknown, path: FieldPath): value is unknown[] {
  if (Array.isArray(value)) return true;
  ctx.invalid(path, `expected a list, got ${describe(value)}`);
  return false;
}

/** A string map (labels, annotations, values), each value optionally converted as a template. */
export function stringMap(
  ctx: DocumentContext,
  value: unknown,
  path: FieldPath,
  templated: boolean,
): Record<string, string> | undefined {
  if (!isMap(value)) {
    ctx.invalid(path, `expected a map of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    if (!expectString(ctx, v, [...path, k])) continue;
    const converted = templated ? ctx.template([...path, k], v) : v;
    if (converted !== undefined) defineOwn(out, k, converted);
  }
  return { ...out };
}

/** Sets a key as data, so that `__proto__` from the input stays a key instead of changing a prototype. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
