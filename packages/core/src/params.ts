/**
 * A generator's output for one element. Keys are flat and dotted, as Argo CD's documented parameter names are
 * (`metadata.labels.env`, `path.basename`), so that a template asks for `{{metadata.labels.env}}` and gets the
 * flat key, never a walk through nested objects a Git file could shape at will.
 */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };
export type Params = Record<string, ParamValue>;

/** A params object with no prototype: keys such as `__proto__` from Git contents stay plain data. */
export function newParams(): Params {
  return Object.create(null) as Params;
}
