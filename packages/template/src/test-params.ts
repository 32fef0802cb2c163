import { newParams, type Params, type ParamValue } from "@flotilla/core";

/** Null-prototype params from a plain literal, as generators produce them. */
export function params(values: Record<string, ParamValue>): Params {
  return Object.assign(newParams(), values);
}
