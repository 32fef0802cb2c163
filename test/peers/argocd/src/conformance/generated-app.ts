import type { ArgoApplication } from "../argocd.ts";

/**
 * What conformance compares of one generated Application, in either system's terms: its name, where it goes (a
 * cluster by name, a namespace), what it deploys (one source) and its labels.
 */
export interface GeneratedApp {
  name: string;
  cluster: string;
  namespace: string;
  repoURL: string;
  path: string;
  targetRevision: string;
  labels: Record<string, string>;
}

/** An Application the applicationset-controller wrote; `serverNames` maps API server URLs to cluster names. */
export function fromArgoApplication(app: ArgoApplication, serverNames: ReadonlyMap<string, string>): GeneratedApp {
  const { destination } = app.spec;
  const source = app.spec.source ?? app.spec.sources?.[0];
  const cluster = destination.name ?? serverNames.get(destination.server ?? "");
  if (cluster === undefined) {
    throw new Error(
      `Application ${app.metadata.name}: destination server ${destination.server} is no registered cluster`,
    );
  }
  return {
    name: app.metadata.name,
    cluster,
    namespace: destination.namespace ?? "",
    repoURL: source?.repoURL ?? "",
    path: source?.path ?? "",
    targetRevision: source?.targetRevision ?? "",
    labels: { ...app.metadata.labels },
  };
}

/** The one label Flotilla adds to every Application (its owner); Argo CD records that as an ownerReference. */
export const flotillaOwnerLabel = "flotilla.dev/appset";

interface FlotillaPreviewApp {
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    source?: { repoURL?: string; path?: string; targetRevision?: string };
    destination: { cluster?: string; namespace?: string };
  };
}

/** One element of `flotilla appset preview -o json`. */
export function fromFlotillaPreview(app: FlotillaPreviewApp): GeneratedApp {
  const { [flotillaOwnerLabel]: _owner, ...labels } = app.metadata.labels ?? {};
  return {
    name: app.metadata.name,
    cluster: app.spec.destination.cluster ?? "",
    namespace: app.spec.destination.namespace ?? "",
    repoURL: app.spec.source?.repoURL ?? "",
    path: app.spec.source?.path ?? "",
    targetRevision: app.spec.source?.targetRevision ?? "",
    labels,
  };
}

/** Sorted by name, so two systems' lists compare regardless of the order they were generated in. */
export function byName(apps: readonly GeneratedApp[]): GeneratedApp[] {
  return [...apps].sort((a, b) => a.name.localeCompare(b.name));
}
