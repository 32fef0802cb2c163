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

/** Where a `serverAppSet` element points: a cluster's name (for the Application's name) and a server URL. */
export interface ServerTarget {
  name: string;
  server: string;
}

/**
 * An ApplicationSet as Argo CD users often write it: every listed app on every listed target, addressed by
 * `destination.server: "{{server}}"` rather than by cluster name.
 */
export function serverAppSet(
  name: string,
  targets: readonly ServerTarget[],
  apps: readonly string[],
  repoURL = "https://git.example/fleet.git",
): string {
  const list = (items: readonly Record<string, string>[]) =>
    `[${items
      .map(
        (i) =>
          `{ ${Object.entries(i)
            .map(([k, v]) => `${k}: "${v}"`)
            .join(", ")} }`,
      )
      .join(", ")}]`;
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - matrix:
        generators:
          - list: { elements: ${list(targets.map((t) => ({ name: t.name, server: t.server })))} }
          - list: { elements: ${list(apps.map((a) => ({ app: a })))} }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: "${repoURL}", path: "apps/{{app}}" }
      destination: { server: "{{server}}", namespace: "{{app}}" }
`;
}
