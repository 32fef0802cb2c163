/** A Kubernetes object as JSON: only the envelope is typed, the rest is whatever the manifest says. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  uid?: string;
  [field: string]: unknown;
}

/** What identifies an object across versions of its API: group, kind, namespace ("" if cluster-scoped), name. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** "apps/v1" → "apps"; "v1" → "" (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    group: groupOf(object.apiVersion),
    kind: object.kind,
    namespace: object.metadata.namespace ?? "",
    name: object.metadata.name,
  };
}

/** Inventory id `group/kind/namespace/name`; the core group and cluster scope are empty segments. */
export function formatId(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function idOf(object: KubeObject): string {
  return formatId(refOf(object));
}

/** The human form used in messages, after kubectl: `Kind/namespace/name` or `Kind/name` when cluster-scoped. */
export function subjectOf(ref: ObjectRef): string {
  return ref.namespace === "" ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy; manifests are JSON, so structuredClone is exact. */
export function cloneObject<T>(value: T): T {
  return structuredClone(value);
}
