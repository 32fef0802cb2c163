import { createHash } from "node:crypto";
import { canonicalJson } from "@flotilla/core";

export type SourceKind = "directory" | "kustomize" | "helm";

/** A Kubernetes object as rendered: only the identifying fields are typed, the rest is carried through. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface BundleSource {
  repoURL: string;
  commit: string;
  /** Repository-relative, normalised ("" for the root). */
  path: string;
  kind: SourceKind;
}

/**
 * The rendered manifests of one source input. Shared by every cluster whose Application has the same input;
 * per-cluster jobs name it by `digest`.
 */
export interface Bundle {
  /** "sha256:<hex>" over the canonical JSON of `manifests`, so equal output has an equal digest whatever the input. */
  digest: string;
  /** The content address of the input that produced it (see `renderKey`). */
  inputKey: string;
  manifests: KubernetesObject[];
  source: BundleSource;
  /** ISO-8601. */
  renderedAt: string;
}

/** apiVersion's group ("" for the core group): objects differing only in version are the same object. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** "group/Kind/namespace/name", the identity of an object in a cluster. */
export function objectId(obj: KubernetesObject): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
}

/** "Kind/namespace/name" as people read it in messages. */
export function describeObject(obj: KubernetesObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts into a total order independent of how the tool or the tree listed the objects — identity first, then
 * full canonical content, so even duplicates could not make the order depend on input order — and digests the
 * sorted canonical JSON.
 */
export function canonicalize(manifests: readonly KubernetesObject[]): {
  manifests: KubernetesObject[];
  digest: string;
} {
  const keyed = manifests.map((m) => ({ m, id: objectId(m), json: canonicalJson(m) }));
  keyed.sort((a, b) => compareStrings(a.id, b.id) || compareStrings(a.json, b.json));
  const digest = createHash("sha256")
    .update(`[${keyed.map((k) => k.json).join(",")}]`)
    .digest("hex");
  return { manifests: keyed.map((k) => k.m), digest: `sha256:${digest}` };
}

export function sortManifests(manifests: readonly KubernetesObject[]): KubernetesObject[] {
  return canonicalize(manifests).manifests;
}

export function bundleDigest(manifests: readonly KubernetesObject[]): string {
  return canonicalize(manifests).digest;
}
