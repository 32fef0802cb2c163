import type { Application, ApplicationSource } from "@flotilla/core";

/** An Application with the given source, for tests. */
export function testApp(
  name: string,
  source: Omit<ApplicationSource, "repoURL"> & { repoURL: string },
  namespace = "web",
): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name },
    spec: { source: { targetRevision: "main", ...source }, destination: { cluster: "dev", namespace } },
  };
}
