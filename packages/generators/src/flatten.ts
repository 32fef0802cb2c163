import { type FieldPath, newParams, type Params, type ParamValue } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";
import type { GeneratorLimits } from "./limits.ts";

/**
 * Turns one element (a list entry, an object from a git file) into flat params, as Argo CD does for
 * fasttemplate: nested maps become dotted keys (`cluster.name`), lists become `key.0`, `key.1` … and are also
 * kept whole under their own key so that `{{#each key}}` and `{{join key ","}}` work. Keys are data: the
 * result has no prototype, so `__proto__` or `constructor` from Git is just a key.
 *
 * @param describe names the element in errors, e.g. `elements[3]` or `file apps/a/config.yaml`
 */
export function flattenElement(
  element: Record<string, unknown>,
  at: FieldPath,
  describe: string,
  limits: GeneratorLimits,
): Params {
  const out = newParams();
  const state = { keys: 0 };
  for (const key of Object.keys(element)) flattenInto(out, key, element[key], 1, state, at, describe, limits);
  return out;
}

function flattenInto(
  out: Params,
  key: string,
  value: unknown,
  depth: number,
  state: { keys: number },
  at: FieldPath,
  describe: string,
  limits: GeneratorLimits,
): void {
  if (depth > limits.maxDepth) {
    throw new GeneratorError({ at, code: "limit", reason: `${describe}: nests deeper than ${limits.maxDepth} levels` });
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const map = value as Record<string, unknown>;
    for (const k of Object.keys(map)) flattenInto(out, `${key}.${k}`, map[k], depth + 1, state, at, describe, limits);
    return;
  }
  if (Array.isArray(value)) {
    put(out, key, freezeData(value, depth, at, describe, limits), state, at, describe, limits);
    for (const [i, item] of value.entries())
      flattenInto(out, `${key}.${i}`, item, depth + 1, state, at, describe, limits);
    return;
  }
  put(out, key, scalar(value, key, at, describe), state, at, describe, limits);
}

function put(
  out: Params,
  key: string,
  value: ParamValue,
  state: { keys: number },
  at: FieldPath,
  describe: string,
  limits: GeneratorLimits,
): void {
  if (Object.hasOwn(out, key)) {
    throw new GeneratorError({
      at,
      code: "parse",
      reason: `${describe}: key ${JSON.stringify(key)} appears twice once nested keys are flattened`,
    });
  }
  if (++state.keys > limits.maxKeys) {
    throw new GeneratorError({ at, code: "limit", reason: `${describe}: more than ${limits.maxKeys} keys` });
  }
  out[key] = value;
}

function scalar(value: unknown, key: string, at: FieldPath, describe: string): ParamValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value instanceof Date) return value.toISOString();
  throw new GeneratorError({
    at,
    code: "parse",
    reason: `${describe}: key ${JSON.stringify(key)} holds ${typeof value}, expected text, a number, a boolean, a list or a map`,
  });
}

/** A deep, frozen, prototype-free copy: shared between parameter sets, so nobody may change it. */
export function freezeData(
  value: unknown,
  depth: number,
  at: FieldPath,
  describe: string,
  limits: GeneratorLimits,
): ParamValue {
  if (depth > limits.maxDepth) {
    throw new GeneratorError({ at, code: "limit", reason: `${describe}: nests deeper than ${limits.maxDepth} levels` });
  }
  if (Array.isArray(value)) {
    return Object.freeze(value.map((item) => freezeData(item, depth + 1, at, describe, limits))) as ParamValue[];
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out = newParams();
    for (const k of Object.keys(value)) {
      out[k] = freezeData((value as Record<string, unknown>)[k], depth + 1, at, describe, limits);
    }
    return Object.freeze(out);
  }
  return scalar(value, "", at, describe);
}
