import { isPlainObject } from "./object.ts";

/** The value at `path` inside nested JSON objects, or undefined when any step is missing or not an object. */
export function valueAt(root: unknown, ...path: string[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function numberAt(root: unknown, ...path: string[]): number | undefined {
  const value = valueAt(root, ...path);
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function stringAt(root: unknown, ...path: string[]): string | undefined {
  const value = valueAt(root, ...path);
  return typeof value === "string" ? value : undefined;
}

/** A status condition, as every well-behaved API shapes it. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown" | string;
  reason?: string;
  message?: string;
}

/** `status.conditions`, keeping only well-formed entries; undefined when the object has no such list. */
export function conditionsOf(object: unknown): Condition[] | undefined {
  const list = valueAt(object, "status", "conditions");
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((entry: unknown): Condition[] => {
    if (!isPlainObject(entry) || typeof entry["type"] !== "string" || typeof entry["status"] !== "string") return [];
    const condition: Condition = { type: entry["type"], status: entry["status"] };
    if (typeof entry["reason"] === "string") condition.reason = entry["reason"];
    if (typeof entry["message"] === "string") condition.message = entry["message"];
    return [condition];
  });
}

export function conditionOf(object: unknown, type: string): Condition | undefined {
  return conditionsOf(object)?.find((c) => c.type === type);
}
