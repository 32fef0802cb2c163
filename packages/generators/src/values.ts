import type { FieldPath, Params } from "@flotilla/core";
import { isTemplateError, renderString } from "@flotilla/template";
import { GeneratorError } from "./errors.ts";

/**
 * Adds a generator's `values` as `values.<k>`, each rendered against the params generated so far (as Argo CD
 * lets cluster and git values use `{{name}}`, `{{path.basename}}`…). Values see the generator's own params,
 * not each other. `params` is modified in place: it is always a fresh object owned by the caller.
 *
 * @param describe names the element in errors, e.g. `cluster "prod-eu"`
 */
export function addValues(
  params: Params,
  values: Readonly<Record<string, string>> | undefined,
  at: FieldPath,
  describe: string,
): Params {
  if (!values) return params;
  const rendered: [string, string][] = [];
  for (const [key, template] of Object.entries(values)) {
    try {
      rendered.push([key, renderString(template, params, { fieldPath: `values.${key}` })]);
    } catch (err) {
      if (!isTemplateError(err)) throw err;
      throw new GeneratorError({ at, code: "template", reason: `${describe}: ${err.message}`, cause: err });
    }
  }
  for (const [key, value] of rendered) params[`values.${key}`] = value;
  return params;
}
