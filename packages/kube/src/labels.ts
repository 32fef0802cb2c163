import { cloneObject, type KubeObject } from "./object.ts";

/** The Application an object belongs to. Labels, so that owned objects can be listed by selector. */
export const APPLICATION_LABEL = "flotilla.dev/application";
/** The ApplicationSet that generated that Application. */
export const APPSET_LABEL = "flotilla.dev/appset";
/** The Git commit the object was last applied from (an annotation: a SHA is longer than a label value may be). */
export const COMMIT_ANNOTATION = "flotilla.dev/commit";
/** `flotilla.dev/prune: disabled` keeps an object when it leaves Git or its Application is deleted. */
export const PRUNE_ANNOTATION = "flotilla.dev/prune";
/** `flotilla.dev/preserve` (any value but "false") has the same effect, under the name operators reach for. */
export const PRESERVE_ANNOTATION = "flotilla.dev/preserve";

/**
 * Argo CD's per-object sync options (comma-separated); `Prune=false` there keeps the object like
 * `flotilla.dev/preserve`, so manifests written for Argo CD keep their meaning.
 */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

/** Who applies an object: the Application, its ApplicationSet (optional) and the source commit. */
export interface Owner {
  application: string;
  appSet?: string;
  commit: string;
}

/** A copy of `object` carrying the ownership labels and commit annotation; the input is not modified. */
export function stampOwnership(object: KubeObject, owner: Owner): KubeObject {
  const stamped = cloneObject(object);
  const labels: Record<string, string> = { ...stamped.metadata.labels, [APPLICATION_LABEL]: owner.application };
  if (owner.appSet !== undefined && owner.appSet !== "") labels[APPSET_LABEL] = owner.appSet;
  stamped.metadata.labels = labels;
  stamped.metadata.annotations = { ...stamped.metadata.annotations, [COMMIT_ANNOTATION]: owner.commit };
  return stamped;
}

/** True when the live object says it belongs to `application`; objects without the label are never ours. */
export function isOwnedBy(object: Pick<KubeObject, "metadata">, application: string): boolean {
  return object.metadata.labels?.[APPLICATION_LABEL] === application;
}

export type PrunePolicy = "prune" | "preserve";

/** What may happen to an owned object once Git no longer wants it. */
export function prunePolicyOf(object: Pick<KubeObject, "metadata">): PrunePolicy {
  const annotations = object.metadata.annotations ?? {};
  if (annotations[PRUNE_ANNOTATION]?.toLowerCase() === "disabled") return "preserve";
  const preserve = annotations[PRESERVE_ANNOTATION];
  if (preserve !== undefined && preserve.toLowerCase() !== "false") return "preserve";
  const argo = annotations[ARGOCD_SYNC_OPTIONS_ANNOTATION];
  if (argo?.split(",").some((option) => option.trim() === "Prune=false")) return "preserve";
  return "prune";
}
