/**
 * Orders two resourceVersions of objects of one resource, as Kubernetes allows since 1.35 (KEP-5504, comparable
 * resource versions: a positive decimal integer without leading zeros, compared as a number). Undefined when
 * either is not of that form — an API server that does not promise the order — so a caller falls back to
 * what it did without it.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): -1 | 0 | 1 | undefined {
  if (!isComparable(a) || !isComparable(b)) return undefined;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function isComparable(version: string | undefined): version is string {
  return version !== undefined && /^[1-9][0-9]*$/.test(version);
}
