import type { ApplicationSet } from "./appset.ts";
import type { FieldPath } from "./field-path.ts";

/** `maxUpdate` as written: an integer count, or a percentage of the step's changed Applications. */
export type MaxUpdate = { kind: "count"; count: number } | { kind: "percent"; percent: number };

/** Argo CD's default: the whole step at once. */
export const DEFAULT_MAX_UPDATE: MaxUpdate = { kind: "percent", percent: 100 };

const PERCENT = /^(0|[1-9][0-9]?|100)%$/;

/** Reads `maxUpdate`; undefined when it is neither a non-negative integer nor a percentage from 0% to 100%. */
export function parseMaxUpdate(value: number | string | undefined): MaxUpdate | undefined {
  if (value === undefined) return DEFAULT_MAX_UPDATE;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? { kind: "count", count: value } : undefined;
  }
  return PERCENT.test(value) ? { kind: "percent", percent: Number(value.slice(0, -1)) } : undefined;
}

/**
 * How many of a step's `size` changed Applications may be in flight at once. A percentage rounds down but never
 * below one (as Argo CD does), so `10%` of three is one; `0` and `0%` make the step a manual gate (zero until
 * promoted).
 */
export function allowedInFlight(max: MaxUpdate, size: number): number {
  if (max.kind === "count") return max.count;
  if (max.percent === 0) return 0;
  return Math.max(1, Math.floor((size * max.percent) / 100));
}

/** Whether nothing of the step starts until an operator promotes it. */
export function isManualGate(max: MaxUpdate): boolean {
  return max.kind === "count" ? max.count === 0 : max.percent === 0;
}

interface Problem {
  path: FieldPath;
  message: string;
}

/** Problems of `spec.strategy`, paths from the ApplicationSet's root. */
export function strategyProblems(appSet: ApplicationSet): Problem[] {
  const strategy = appSet.spec.strategy;
  if (strategy === undefined) return [];
  const out: Problem[] = [];
  const at = (...path: FieldPath): FieldPath => ["spec", "strategy", ...path];
  if (strategy.type === "AllAtOnce") {
    if (strategy.rollingSync !== undefined) {
      out.push({
        path: at("rollingSync"),
        message: "rollingSync steps apply only to strategy.type RollingSync; remove spec.strategy.rollingSync",
      });
    }
    return out;
  }
  if (strategy.rollingSync === undefined) {
    out.push({
      path: at("type"),
      message:
        "strategy.type RollingSync needs spec.strategy.rollingSync.steps (each with matchExpressions on Application labels); add them, or write type: AllAtOnce",
    });
    return out;
  }
  strategy.rollingSync.steps.forEach((step, i) => {
    if (parseMaxUpdate(step.maxUpdate) === undefined) {
      out.push({
        path: at("rollingSync", "steps", i, "maxUpdate"),
        message: `${JSON.stringify(step.maxUpdate)} is neither a number of Applications nor a percentage from 0% to 100%; write an integer like 2 (0 makes the step a manual gate) or a percentage like 25%`,
      });
    }
    step.matchExpressions.forEach((req, j) => {
      const values = req.values ?? [];
      const path = at("rollingSync", "steps", i, "matchExpressions", j, "values");
      if ((req.operator === "In" || req.operator === "NotIn") && values.length === 0) {
        out.push({
          path,
          message: `operator ${req.operator} needs at least one value; list the label values to match`,
        });
      }
      if ((req.operator === "Exists" || req.operator === "DoesNotExist") && req.values !== undefined) {
        out.push({ path, message: `operator ${req.operator} takes no values; remove values` });
      }
      if (values.some((v) => v.includes("{{"))) {
        out.push({
          path,
          message:
            "step selectors are not templates: they match the labels of the rendered Applications; write the label values themselves",
        });
      }
    });
  });
  return out;
}
