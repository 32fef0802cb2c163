// The ApplicationSet the fleet benchmarks (worker, vs-argocd) generate from: every app directory on every cluster.

/**
 * A git directories × clusters matrix named `name` over `<dirs>/*` of `repo`, each Application into `namespace` (a
 * template: `{{path.basename}}` gives each directory its own), automated with prune and selfHeal.
 */
export function matrixAppSet(name: string, repo: string, dirs: string, namespace: string): string {
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
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: ${repo}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "${namespace}" }
      syncPolicy:
        automated: { prune: true, selfHeal: true }
        syncOptions: [ CreateNamespace=true ]
`;
}
