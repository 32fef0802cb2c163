import { isPlainObject, type KubeObject } from "./object.ts";

/**
 * Metadata the server writes on every change. None of it is anyone's intent, so differences there are never drift.
 * Server-defaulted spec fields need no list: the dry-run result was defaulted the same way as the live object.
 */
const NOISY_METADATA = [
  "managedFields",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "uid",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

/** Annotations controllers write as bookkeeping; they change without anyone's intent changing. */
const NOISY_ANNOTATIONS = ["deployment.kubernetes.io/revision"];

export interface Drift {
  drifted: boolean;
  /** Where the live object differs from what applying Git would produce, as `spec.template.spec.containers[0].image`. */
  paths: string[];
}

export interface DriftOptions {
  /**
   * Most paths listed; the rest are counted, not named.
   * @defaultValue 20
   */
  maxPaths?: number;
}

/** The parts of an object that express intent: everything but status and the server's bookkeeping. */
export function comparable(object: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object;
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of NOISY_METADATA) delete meta[key];
  if (isPlainObject(meta["annotations"])) {
    const annotations: Record<string, unknown> = { ...meta["annotations"] };
    for (const key of NOISY_ANNOTATIONS) delete annotations[key];
    meta["annotations"] = annotations;
  }
  return { ...rest, metadata: meta };
}

function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  const segment = plain ? key : `[${JSON.stringify(key)}]`;
  if (base === "") return segment;
  return plain ? `${base}.${segment}` : `${base}${segment}`;
}

function collectDifferences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(path);
      return;
    }
    for (const [index, item] of a.entries()) collectDifferences(item, b[index], join(path, index), out);
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) collectDifferences(a[key], b[key], join(path, key), out);
    return;
  }
  out.push(path);
}

/**
 * Drift is whatever a server-side dry-run apply of the desired object would change on the live one.
 * `dryRun` is the API server's answer to that dry-run; `live` is the object as it is (undefined when deleted).
 */
export function detectDrift(dryRun: KubeObject, live: KubeObject | undefined, options: DriftOptions = {}): Drift {
  if (live === undefined) return { drifted: true, paths: ["(object missing)"] };
  const maxPaths = options.maxPaths ?? 20;
  const paths: string[] = [];
  collectDifferences(comparable(live), comparable(dryRun), "", paths);
  if (paths.length > maxPaths) {
    const hidden = paths.length - maxPaths;
    return { drifted: true, paths: [...paths.slice(0, maxPaths), `… and ${hidden} more`] };
  }
  return { drifted: paths.length > 0, paths };
}
