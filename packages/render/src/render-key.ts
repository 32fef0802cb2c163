import { createHash } from "node:crypto";
import { type ApplicationSource, canonicalJson } from "@flotilla/core";
import { normalizeSourcePath } from "./repo-paths.ts";

/** What, besides the source, changes a Helm chart's output. */
export interface HelmReleaseContext {
  releaseName: string;
  namespace: string | undefined;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** Drops settings that render the same as their absence, so `helm: {}` and no `helm` share one bundle. */
function settings(group: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!group) return undefined;
  const kept = Object.fromEntries(Object.entries(group).filter(([, v]) => !isEmpty(v)));
  return Object.keys(kept).length === 0 ? undefined : kept;
}

/**
 * The content address of a render input: repository, commit, normalised path and render parameters, as
 * canonical JSON hashed with SHA-256. `targetRevision` is not part of it — the commit it resolved to is.
 * Pass `helm` only for Helm sources: a chart's output depends on the release name and namespace, other
 * sources' does not, and leaving them out is what lets "guestbook-dev" and "guestbook-prod" share a bundle.
 */
export function renderKey(source: ApplicationSource, commit: string, helm?: HelmReleaseContext): string {
  const input = {
    v: 1,
    repoURL: source.repoURL.trim(),
    commit,
    path: normalizeSourcePath(source.path),
    chart: source.chart || undefined,
    directory: settings(source.directory),
    kustomize: settings(source.kustomize),
    helm: settings(source.helm),
    release: helm ? { name: helm.releaseName, namespace: helm.namespace || undefined } : undefined,
  };
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}
