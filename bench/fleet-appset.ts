// The ApplicationSet the fleet benchmarks (worker, vs-argocd) generate from: every app directory on every cluster.

/**
 * A git directories × clusters matrix named `name` over `<dirs>/*` of `repo`, each Application into `namespace` (a
 * template: `{{path.basename}}` gives each directory its own), automated with prune and selfHeal. Applications are
 * named `<appPrefix><directory>-<cluster>`: two sets over the same directories need different prefixes, since an
 * Application name on a cluster has one owner.
 */
export function matrixAppSet(
  name: string,
  repo: string,
  dirs: string,
  namespace: string,
  options: { appPrefix?: string } = {},
): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - matrix:
        generators:
          - git: { repoURL: ${repo}, revision: main, directories: [ { path: "${dirs}/*" } ] }
          - clusters: {}
  template:
    metadata: { name: "${options.appPrefix ?? ""}{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: ${repo}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "${namespace}" }
      syncPolicy:
        automated: { prune: true, selfHeal: true }
        syncOptions: [ CreateNamespace=true ]
`;
}
