import type { KubeObject } from "./object.ts";

/**
 * Kinds in the order they are applied, after Helm's install order: what others refer to comes first (namespaces,
 * CRDs, policies, service accounts, RBAC, config) and workloads last. Unlisted kinds (custom resources) follow.
 */
const KIND_ORDER = [
  "Namespace",
  "CustomResourceDefinition",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "SecretList",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "ClusterRole",
  "ClusterRoleList",
  "ClusterRoleBinding",
  "ClusterRoleBindingList",
  "Role",
  "RoleList",
  "RoleBinding",
  "RoleBindingList",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

const rank = new Map(KIND_ORDER.map((kind, index) => [kind, index]));

/** Stage 0 must exist (and CRDs be established) before stage 1 can be applied at all. */
export function applyStage(object: Pick<KubeObject, "kind">): 0 | 1 {
  return object.kind === "Namespace" || object.kind === "CustomResourceDefinition" ? 0 : 1;
}

function rankOf(object: KubeObject): number {
  return rank.get(object.kind) ?? KIND_ORDER.length;
}

function compareWithinRank(a: KubeObject, b: KubeObject): number {
  return (
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/** A new array in apply order; deterministic whatever order the renderer produced. */
export function sortForApply(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => rankOf(a) - rankOf(b) || compareWithinRank(a, b));
}

/** Kinds the other way round (workloads before what they use, namespaces and CRDs last), names still ascending. */
export function sortForDelete(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => rankOf(b) - rankOf(a) || compareWithinRank(a, b));
}

/** Objects split into the two apply stages, each sorted. */
export function stagesOf(objects: readonly KubeObject[]): [KubeObject[], KubeObject[]] {
  const sorted = sortForApply(objects);
  return [sorted.filter((o) => applyStage(o) === 0), sorted.filter((o) => applyStage(o) === 1)];
}
