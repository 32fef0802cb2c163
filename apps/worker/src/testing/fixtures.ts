import { randomBytes } from "node:crypto";
import type { Application } from "@flotilla/core";
import type { SyncJob } from "@flotilla/queue";

// Test-only (left out of the build): Applications, jobs and manifests for the integration tests.

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

export interface AppFixture {
  name: string;
  repoURL: string;
  path: string;
  cluster: string;
  namespace: string;
  prune?: boolean;
}

export function application(f: AppFixture): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: f.name },
    spec: {
      source: { repoURL: f.repoURL, targetRevision: "main", path: f.path },
      destination: { cluster: f.cluster, namespace: f.namespace },
      syncPolicy: { automated: { prune: f.prune ?? true }, syncOptions: ["CreateNamespace=true"] },
    },
  };
}

export function syncJob(appSet: string, app: Application, fleetRevision = "f".repeat(40)): SyncJob {
  return {
    appSet,
    application: app.metadata.name,
    cluster: app.spec.destination.cluster ?? "",
    desiredDigest: "test",
    revision: fleetRevision,
    app,
  };
}

export function configMapYaml(name: string, value: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name} }
data: { value: "${value}" }
`;
}

export function deploymentYaml(name: string): string {
  // KWOK never pulls or runs the image: the name only has to be valid.
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: registry.invalid/flotilla/web:1 }]
`;
}
