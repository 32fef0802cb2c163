import { canonicalJson } from "@flotilla/core";

export interface FieldChangeOptions {
  /** Objects are descended this deep; below it a changed subtree is named by its path. @defaultValue 6 */
  maxDepth?: number;
  /** At most this many paths are returned; the rest are summed up in a last entry. @defaultValue 20 */
  maxFields?: number;
}

/**
 * The fields that differ between two versions of an Application, as dotted paths (`spec.source.targetRevision`,
 * `metadata.labels.team`). Lists are compared whole: an element's position says little to a person reading a diff.
 */
export function changedFields(before: unknown, after: unknown, options: FieldChangeOptions = {}): string[] {
  const maxDepth = options.maxDepth ?? 6;
  const maxFields = options.maxFields ?? 20;
  const out: string[] = [];
  walk(before, after, [], maxDepth, out);
  if (out.length <= maxFields) return out;
  return [...out.slice(0, maxFields), `(and ${out.length - maxFields} more)`];
}

function walk(before: unknown, after: unknown, path: string[], depth: number, out: string[]): void {
  if (isRecord(before) && isRecord(after) && depth > 0) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const hasBefore = Object.hasOwn(before, key) && before[key] !== undefined;
      const hasAfter = Object.hasOwn(after, key) && after[key] !== undefined;
      if (!hasBefore && !hasAfter) continue;
      walk(hasBefore ? before[key] : undefined, hasAfter ? after[key] : undefined, [...path, key], depth - 1, out);
    }
    return;
  }
  if (canonicalJson(before ?? null) !== canonicalJson(after ?? null)) out.push(path.join(".") || "(whole)");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
