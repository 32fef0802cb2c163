/** An ApplicationSet: every listed app on every cluster labelled env=prod, from `apps/<app>` of `repoURL`. */
export function prodAppSet(name: string, apps: readonly string[], repoURL = "https://git.example/fleet.git"): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - matrix:
        generators:
          - clusters: { selector: { matchLabels: { env: prod } } }
          - list: { elements: [${apps.map((a) => `{ app: ${a} }`).join(", ")}] }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: "${repoURL}", path: "apps/{{app}}" }
      destination: { cluster: "{{name}}", namespace: "{{app}}" }
`;
}
