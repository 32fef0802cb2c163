import { COMMIT_ANNOTATION } from "./labels.ts";
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

/**
 * Annotations written as bookkeeping; they change without anyone's intent changing. Flotilla's commit annotation
 * says which commit last applied the object: an Application moved to a new commit whose bundle it already runs is
 * not applied again, so its objects keep the older commit and are still in sync.
 */
const NOISY_ANNOTATIONS = ["deployment.kubernetes.io/revision", COMMIT_ANNOTATION];

export interface Drift {
  drifted: boolean;
  /** Where the live object differs from what applying Git would produce, as `spec.template.spec.containers[0].image`. */
  paths: string[];
  /**
   * The same places with both values, for a person deciding whether to sync: bounded (see `DriftOptions`), and a
   * Secret's values never shown. Absent when there is nothing to compare (no drift, or the object is missing).
   */
  differences?: FieldDifference[];
}

/** One differing field: its value in Git (after the server's dry-run) and on the cluster, as capped JSON text. */
export interface FieldDifference {
  path: string;
  /** Absent when Git does not set the field. */
  desired?: string;
  /** Absent when the cluster's object lacks the field. */
  live?: string;
}

/** What a Secret's differing values become: their presence and place are shown, never their content. */
export const REDACTED_VALUE = "(redacted)";

export interface DriftOptions {
  /**
   * Most paths listed; the rest are counted, not named.
   * @defaultValue 20
   */
  maxPaths?: number;
  /**
   * Longest value text in a difference; a longer one is cut and says how much was left out.
   * @defaultValue 256
   */
  maxValueLength?: number;
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

interface Difference {
  path: string;
  live: unknown;
  desired: unknown;
}

function collectDifferences(live: unknown, desired: unknown, path: string, out: Difference[]): void {
  if (Object.is(live, desired)) return;
  if (Array.isArray(live) && Array.isArray(desired)) {
    if (live.length !== desired.length) {
      out.push({ path, live, desired });
      return;
    }
    for (const [index, item] of live.entries()) collectDifferences(item, desired[index], join(path, index), out);
    return;
  }
  if (isPlainObject(live) && isPlainObject(desired)) {
    const keys = new Set([...Object.keys(live), ...Object.keys(desired)]);
    for (const key of [...keys].sort()) collectDifferences(live[key], desired[key], join(path, key), out);
    return;
  }
  out.push({ path, live, desired });
}

/** A value as JSON text, cut to `max` characters; undefined stays absent (the field is not set on that side). */
function valueText(value: unknown, max: number): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * A Secret's `data` and `stringData` hold its secret values, and its annotations may repeat them (kubectl's
 * last-applied-configuration holds the whole object): anything under those is shown redacted.
 */
function secretValueAt(object: KubeObject, path: string): boolean {
  return object.kind === "Secret" && /^(data|stringData|metadata\.annotations)([.[]|$)/.test(path);
}

/**
 * Drift is whatever a server-side dry-run apply of the desired object would change on the live one.
 * `dryRun` is the API server's answer to that dry-run; `live` is the object as it is (undefined when deleted).
 */
export function detectDrift(dryRun: KubeObject, live: KubeObject | undefined, options: DriftOptions = {}): Drift {
  if (live === undefined) return { drifted: true, paths: ["(object missing)"] };
  const maxPaths = options.maxPaths ?? 20;
  const maxValue = options.maxValueLength ?? 256;
  const found: Difference[] = [];
  collectDifferences(comparable(live), comparable(dryRun), "", found);
  if (found.length === 0) return { drifted: false, paths: [] };
  const shown = found.slice(0, maxPaths);
  const differences = shown.map(({ path, live: liveValue, desired }): FieldDifference => {
    const secret = secretValueAt(dryRun, path) || secretValueAt(live, path);
    const d = secret ? (desired === undefined ? undefined : REDACTED_VALUE) : valueText(desired, maxValue);
    const l = secret ? (liveValue === undefined ? undefined : REDACTED_VALUE) : valueText(liveValue, maxValue);
    return { path, ...(d !== undefined && { desired: d }), ...(l !== undefined && { live: l }) };
  });
  const paths = shown.map((d) => d.path);
  if (found.length > maxPaths) paths.push(`… and ${found.length - maxPaths} more`);
  return { drifted: true, paths, differences };
}
