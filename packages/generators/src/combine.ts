import { type FieldPath, failedSourceParams, type Params, type ParamValue, sourceFailureOf } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";

/**
 * The union of two parameter sets for one matrix row. A key both sides produce must carry the same value
 * (Argo CD's fasttemplate matrix refuses "duplicate key … with different value" as well): silently picking
 * one would render Applications from parameters nobody asked for.
 */
export function combineParams(a: Params, b: Params, at: FieldPath): Params {
  const out: Params = Object.assign(Object.create(null) as Params, a);
  for (const key in b) {
    const value = b[key] as ParamValue;
    if (key in out && !sameValue(out[key] as ParamValue, value)) {
      throw new GeneratorError({
        at,
        code: "conflict",
        reason: `both generators produce parameter ${JSON.stringify(key)} with different values (${preview(out[key])} and ${preview(value)}); rename one, e.g. with pathParamPrefix`,
      });
    }
    out[key] = value;
  }
  // A row built on a git file that failed stands for that file's elements, whichever side it came from.
  const failure = sourceFailureOf(b);
  return failure !== undefined && sourceFailureOf(out) === undefined ? failedSourceParams(out, failure) : out;
}

export function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, ParamValue>;
  const rb = b as Record<string, ParamValue>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k] as ParamValue, rb[k] as ParamValue));
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
