import type { KubeObject } from "@flotilla/kube";
import { parseAllDocuments } from "yaml";

/** The objects of a multi-document YAML stream (`helm template` output); empty documents are skipped. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    objects.push(value as KubeObject);
  }
  return objects;
}

export interface PodSpecLike {
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  containers: ContainerLike[];
  volumes?: VolumeLike[];
}

export interface ContainerLike {
  name: string;
  args?: string[];
  env?: EnvVarLike[];
  ports?: Array<{ name?: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
}

export interface EnvVarLike {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

export interface VolumeLike {
  name: string;
  secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  emptyDir?: Record<string, unknown>;
}

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

/** Each workload with the Pod spec of its template. */
export function workloadsOf(objects: readonly KubeObject[]): Array<{ object: KubeObject; pod: PodSpecLike }> {
  return objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((object) => ({
      object,
      pod: (object as unknown as { spec: { template: { spec: PodSpecLike } } }).spec.template.spec,
    }));
}

/** The one object of this kind and name, or throws naming what is there instead. */
export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) {
    throw new Error(
      `no ${kind}/${name} in the rendered chart; it has ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`,
    );
  }
  return found;
}

/** `Kind/name` of every object, sorted, for comparing what a value set renders. */
export function inventoryOf(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}
