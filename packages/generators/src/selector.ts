import type { FieldPath, LabelSelector } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

const has = (labels: Readonly<Record<string, string>>, key: string): boolean => Object.hasOwn(labels, key);

/**
 * Compiles a Kubernetes label selector. Semantics are Kubernetes': every requirement must hold (AND);
 * `NotIn` also matches when the label is absent; an empty or missing selector matches everything.
 * Invalid requirements (In/NotIn without values, Exists/DoesNotExist with values) are errors, as the
 * Kubernetes API would reject them.
 *
 * @param at path of the selector field, for errors
 */
export function compileSelector(selector: LabelSelector | undefined, at: FieldPath): LabelMatcher {
  const checks: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    checks.push((labels) => has(labels, key) && labels[key] === value);
  }
  (selector?.matchExpressions ?? []).forEach((req, i) => {
    const values = req.values ?? [];
    const fail = (reason: string): GeneratorError =>
      new GeneratorError({ at: [...at, "matchExpressions", i], code: "invalid-spec", reason });
    switch (req.operator) {
      case "In":
      case "NotIn": {
        if (values.length === 0) throw fail(`operator ${req.operator} requires at least one value`);
        const allowed = new Set(values);
        const isIn = req.operator === "In";
        checks.push((labels) => (has(labels, req.key) && allowed.has(labels[req.key] as string)) === isIn);
        break;
      }
      case "Exists":
      case "DoesNotExist": {
        if (values.length > 0) throw fail(`operator ${req.operator} takes no values`);
        const wanted = req.operator === "Exists";
        checks.push((labels) => has(labels, req.key) === wanted);
        break;
      }
      default:
        throw fail(`unknown operator ${JSON.stringify(req.operator)}`);
    }
  });
  return (labels) => checks.every((check) => check(labels));
}
