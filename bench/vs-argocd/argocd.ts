// Argo CD under test: its three controllers as local processes (test/peers/argocd), the same clusters registered
// as cluster Secrets, the same fleet repository over HTTP.
import { type ArgoCdTuning, type RunningArgoCd, startArgoCd } from "@flotilla/peer-argocd";
import type { Cluster } from "@flotilla/testbed";
import type { Progress, SystemUnderTest } from "./system.ts";

export interface ArgoCdOptions {
  name: string;
  namespacePrefix: string;
  management: Cluster;
  clusters: readonly Cluster[];
  redis: { host: string; port: number };
  fleetUrl: string;
  head: () => string;
  tuning: ArgoCdTuning;
  logDir: string;
}

const REDIS_DB = 7;

function appSet(repo: string, namespacePrefix: string) {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "bench" },
    spec: {
      generators: [
        {
          matrix: {
            generators: [
              { git: { repoURL: repo, revision: "main", directories: [{ path: "apps/*" }] } },
              { clusters: { selector: { matchLabels: { fleet: "bench" } } } },
            ],
          },
        },
      ],
      template: {
        metadata: { name: "{{path.basename}}-{{name}}" },
        spec: {
          project: "default",
          source: { repoURL: repo, targetRevision: "main", path: "{{path}}" },
          destination: { server: "{{server}}", namespace: `${namespacePrefix}{{path.basename}}` },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
        },
      },
    },
  };
}

/** Runs `fn` over `items`, `width` at a time. */
async function inLanes<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export async function startArgoCdSystem(options: ArgoCdOptions): Promise<SystemUnderTest & { argocd: RunningArgoCd }> {
  const argocd = await startArgoCd({
    management: options.management.info,
    clusters: options.clusters.map((c) => ({
      name: c.name,
      server: c.apiUrl,
      caPem: c.info.caPem,
      token: c.info.token,
      labels: { fleet: "bench" },
    })),
    redis: { ...options.redis, db: REDIS_DB },
    tuning: options.tuning,
    logDir: options.logDir,
    startTimeoutMs: 180_000,
  });
  let names: string[] = [];
  return {
    argocd,
    name: options.name,
    namespacePrefix: options.namespacePrefix,
    deploy: async () => {
      await argocd.apply([appSet(options.fleetUrl, options.namespacePrefix)]);
      return options.head();
    },
    progress: async (commit): Promise<Progress> => {
      const apps = await argocd.applications();
      names = apps.map((a) => a.metadata.name);
      return {
        done: apps.filter(
          (a) =>
            a.status?.sync?.status === "Synced" &&
            a.status.sync.revision === commit &&
            a.status.health?.status === "Healthy",
        ).length,
        total: apps.length,
        errors: apps.filter(
          (a) => a.status?.operationState?.phase === "Error" || a.status?.operationState?.phase === "Failed",
        ).length,
      };
    },
    // What argocd-server's webhook handler does on a push: every Application of the repository gets
    // argocd.argoproj.io/refresh=normal. (argocd-server itself is not part of this run.)
    notifyPush: async () => {
      if (names.length === 0) names = (await argocd.applications()).map((a) => a.metadata.name);
      await inLanes(names, 20, (name) => argocd.refresh([name]));
    },
    pids: () => Object.values(argocd.pids()),
    stop: () => argocd.stop(),
  };
}
