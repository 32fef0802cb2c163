import { createHash } from "node:crypto";
import { type ApplicationSet, type Cluster, canonicalJson, type GeneratorSpec } from "@flotilla/core";

/**
 * Everything a generation of `appSet` depends on, as one digest — or undefined when that cannot be known without
 * generating: a git generator reads other commits of other repositories. Generation is a pure function of these
 * inputs, so an equal fingerprint means an equal generation, and a push that changes one ApplicationSet need not
 * regenerate the other hundred thousand Applications.
 */
export function inputFingerprint(appSet: ApplicationSet, file: string, clustersDigest: string): string | undefined {
  if (appSet.spec.generators.some(readsGit)) return undefined;
  return createHash("sha256")
    .update(file)
    .update("\0")
    .update(canonicalJson(appSet))
    .update("\0")
    .update(clustersDigest)
    .digest("hex");
}

/** The registry as generation sees it (clusters generators select on it; destinations are checked against it). */
export function clustersDigest(clusters: readonly Cluster[]): string {
  const view = clusters
    .map((c) => ({ name: c.name, server: c.server, labels: c.labels, annotations: c.annotations }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return createHash("sha256").update(canonicalJson(view)).digest("hex");
}

function readsGit(g: GeneratorSpec): boolean {
  if (g.git !== undefined) return true;
  return [...(g.matrix?.generators ?? []), ...(g.merge?.generators ?? [])].some(readsGit);
}
