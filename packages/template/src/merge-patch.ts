import { isPlainMap, setOwn } from "./own-keys.ts";

/**
 * Applies `patch` over `target` and returns a new object; neither input is modified.
 *
 * Semantics (those of JSON Merge Patch, RFC 7386, which Argo CD's templatePatch also follows):
 * - maps merge deeply, key by key;
 * - lists and scalars in the patch replace the target's value whole (lists are NOT merged by index or key);
 * - a `null` in the patch removes that key from the result.
 */
export function mergePatch<T extends Record<string, unknown>>(target: T, patch: Record<string, unknown>): T {
  return merge(target, patch) as T;
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isPlainMap(patch)) return patch;
  const base = isPlainMap(target) ? target : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) setOwn(out, key, base[key]);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete out[key];
    } else {
      setOwn(out, key, merge(Object.hasOwn(out, key) ? out[key] : undefined, value));
    }
  }
  return out;
}
