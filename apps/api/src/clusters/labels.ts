import { labelKeyProblem, labelValueProblem } from "@flotilla/core";
import { badRequest } from "../errors.ts";

/** Refuses the first label that Kubernetes would refuse, naming it as `<field>.<key>`. */
export function checkLabels(labels: Readonly<Record<string, string>>, field: string): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) throw badRequest(`${field}.${key}: label key ${keyProblem}`, `${field}.${key}`);
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      throw badRequest(`${field}.${key}: label value ${valueProblem}`, `${field}.${key}`);
    }
  }
}

/** A relabel: keys to set (added or changed) and keys to remove, as `kubectl label k=v k2-` says it. */
export interface LabelPatch {
  set?: Readonly<Record<string, string>>;
  remove?: readonly string[];
}

/**
 * The labels after the patch. A key both set and removed is a contradiction, refused rather than resolved by
 * order; removing a key that is not there is a no-op, as in kubectl.
 */
export function mergeLabels(current: Readonly<Record<string, string>>, patch: LabelPatch): Record<string, string> {
  const set = patch.set ?? {};
  const remove = patch.remove ?? [];
  remove.forEach((key, i) => {
    if (Object.hasOwn(set, key)) {
      throw badRequest(`body.remove.${i}: "${key}" is both set and removed; do one`, `body.remove.${i}`);
    }
  });
  const next: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(current)) if (!remove.includes(key)) next[key] = value;
  for (const [key, value] of Object.entries(set)) next[key] = value;
  return { ...next };
}
