import { labelKeyProblem, labelValueProblem } from "@flotilla/core";

/** What `k=v` and `k-` arguments ask for, or the first argument that is neither, and why. */
export type LabelArgs =
  | { ok: true; set: Record<string, string>; remove: string[] }
  | { ok: false; arg: string; why: string };

/**
 * kubectl's label syntax: `k=v` sets, `k-` removes. `allowRemove` is false for `--label` (a registration has
 * nothing to remove). Every key and value is checked as Kubernetes checks labels, so a typo stops here.
 */
export function parseLabelArgs(args: readonly string[], options: { allowRemove: boolean }): LabelArgs {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq < 0) {
      if (options.allowRemove && arg.endsWith("-") && arg.length > 1) {
        const key = arg.slice(0, -1);
        const problem = labelKeyProblem(key);
        if (problem !== undefined) return { ok: false, arg, why: `label key ${problem}` };
        remove.push(key);
        continue;
      }
      return { ok: false, arg, why: options.allowRemove ? "expected key=value or key-" : "expected key=value" };
    }
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) return { ok: false, arg, why: `label key ${keyProblem}` };
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) return { ok: false, arg, why: `label value ${valueProblem}` };
    if (Object.hasOwn(set, key) && set[key] !== value) return { ok: false, arg, why: `"${key}" is given twice` };
    Object.defineProperty(set, key, { value, enumerable: true, writable: true, configurable: true });
  }
  for (const key of remove) {
    if (Object.hasOwn(set, key)) return { ok: false, arg: `${key}-`, why: `"${key}" is both set and removed` };
  }
  return { ok: true, set, remove };
}
