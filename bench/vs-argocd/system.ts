// What the vs-argocd phases need from a system under test, and the fleet both systems read.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git } from "../support.ts";

/** Progress towards a commit: Applications Synced and Healthy at it, out of how many there are so far. */
export interface Progress {
  done: number;
  total: number;
  errors: number;
}

export interface SystemUnderTest {
  name: string;
  /** Each app `app-NNN` lands in namespace `<prefix>app-NNN` on every cluster. */
  namespacePrefix: string;
  /** Adds the ApplicationSet (a commit for Flotilla, an apply for Argo CD); resolves to the commit to wait for. */
  deploy(): Promise<string>;
  progress(commit: string): Promise<Progress>;
  /** Tells the system the fleet repository moved, as a Git host's push webhook would. */
  notifyPush(): Promise<void>;
  /** Every process of the system, for /proc. */
  pids(): number[];
  /**
   * What the system's processes say of themselves since the last call (event-loop delay, GC), a line each; the
   * first call only starts the window.
   */
  selfReport?(): Promise<string[]>;
  stop(): Promise<void>;
}

export const OBJECTS_PER_APP = 3;
export const appName = (i: number): string => `app-${String(i).padStart(3, "0")}`;

/** One app's three objects; `rev` is what the one-file change bumps and the manual edit overwrites. */
export function appManifests(name: string, rev: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name} }
data: { rev: "${rev}" }
---
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: registry.example/bench:1
          ports: [{ containerPort: 8080 }]
`;
}

export function writeApp(fleet: string, i: number, rev: number): void {
  mkdirSync(join(fleet, "apps", appName(i)), { recursive: true });
  writeFileSync(join(fleet, "apps", appName(i), "app.yaml"), appManifests(appName(i), rev));
}

export function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}
