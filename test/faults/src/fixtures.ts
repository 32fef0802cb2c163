export interface AppSetYamlOptions {
  name: string;
  /** The clusters labelled `fleet=<fleet>` (how FaultFleet registers them). */
  fleet: string;
  /** The source repository: the fleet repository itself in these tests. */
  repo: string;
  path: string;
  namespace: string;
}

/** An ApplicationSet putting `path` on every cluster of the fleet as `<name>-<cluster>`. */
export function appSetYaml(options: AppSetYamlOptions): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${options.name} }
spec:
  generators:
    - clusters: { selector: { matchLabels: { fleet: ${options.fleet} } } }
  template:
    metadata: { name: "${options.name}-{{name}}" }
    spec:
      source: { repoURL: "${options.repo}", targetRevision: main, path: ${options.path} }
      destination: { cluster: "{{name}}", namespace: ${options.namespace} }
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }
`;
}

export function configMapYaml(name: string, data: Record<string, string>, annotations: Record<string, string> = {}) {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}, annotations: ${JSON.stringify(annotations)} }
data: ${JSON.stringify(data)}
`;
}

/**
 * Two sync waves where the first takes a while: a Deployment that is Available only `minReadySeconds` after its
 * Pod is Ready (the bed's KWOK makes it Ready at once), then `count` ConfigMaps in wave 1, applied only after it.
 */
export function slowWaves(options: { minReadySeconds: number; count: number; version: string }): string {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: slow, annotations: { flotilla.dev/sync-wave: "0" } }
spec:
  replicas: 1
  minReadySeconds: ${options.minReadySeconds}
  selector: { matchLabels: { app: slow } }
  template:
    metadata: { labels: { app: slow } }
    spec: { containers: [ { name: web, image: "registry.invalid/web:1" } ] }
`;
  const maps = Array.from({ length: options.count }, (_, i) =>
    configMapYaml(`after-${i}`, { version: options.version }, { "flotilla.dev/sync-wave": "1" }),
  );
  return [deployment, ...maps].join("---\n");
}

/**
 * The files of a fleet whose one ApplicationSet (`appSet`, selecting clusters labelled `fleet: <fleet>`) syncs
 * `apps/waves` into `namespace`: a ConfigMap that must be kept throughout, and `extra` (the slow waves of a test).
 */
export function wavesFleetFiles(
  options: { appSet: string; fleet: string; repo: string; namespace: string },
  extra: Record<string, string>,
): Record<string, string> {
  const { appSet, fleet, repo, namespace } = options;
  return {
    [`appsets/${appSet}.yaml`]: appSetYaml({ name: appSet, fleet, repo, path: "apps/waves", namespace }),
    "apps/waves/keeper.yaml": configMapYaml("keeper", { kept: "yes" }),
    ...extra,
  };
}
