import { createHash } from "node:crypto";

/** Stable short hex digest; the same input gives the same name on every controller and every run. */
export function shortHash(value: string, length = 8): string {
  return createHash("sha256")
    .update(value)
    .digest("hex")
    .slice(0, Math.max(1, Math.min(64, length)));
}

/**
 * Argo CD's `SanitizeName`, kept exact so that `nameNormalized` and `path.basenameNormalized` produce the names
 * Argo CD users already have: lower-case, every character outside `[-a-z0-9.]` becomes `-` (runs are NOT
 * collapsed), cut at 253, then `-` and `.` trimmed from both ends.
 */
export function sanitizeName(name: string): string {
  const replaced = name.toLowerCase().replace(/[^-a-z0-9.]/g, "-");
  return replaced.slice(0, 253).replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * A DNS-1123 label (or, with `maxLength` over 63, a subdomain-safe string without dots) from any text:
 * lower-case, each run of invalid characters becomes one `-`, trimmed. When it must be cut, the tail is
 * replaced by `-` and a hash of the whole input, so that two long names sharing a prefix stay distinct.
 */
export function normalizeName(value: string, maxLength = 63): string {
  const max = Math.max(10, Math.min(253, Math.trunc(maxLength)));
  const clean = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (clean.length <= max) return clean;
  const hash = shortHash(value, 8);
  const head = clean.slice(0, max - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}
