/** An ApplicationSet: every listed app on every cluster labelled env=prod. */
export function prodAppSet(name: string, apps: readonly string[]): string {
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
      source: { repoURL: https://git.example/fleet.git, path: "apps/{{app}}" }
      destination: { cluster: "{{name}}", namespace: "{{app}}" }
`;
}
