// The ceiling a fleet manager is measured against: the same objects server-side applied straight to the same API
// servers, with no generator, queue or status in between — only what any tool must do (create the namespace, apply
// each object, wait until the Deployments are Available). Used by the worker and vs-argocd benchmarks.
import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { type Cluster, eventually } from "@flotilla/testbed";
import { AppsV1Api, KubeConfig } from "@kubernetes/client-node";

export interface RawApplyOptions {
  clusters: readonly Cluster[];
  /** Application names; app `x` lands in namespace `<namespacePrefix>x` on every cluster. */
  apps: readonly string[];
  objectsOf: (app: string) => KubeObject[];
  namespacePrefix: string;
  /** Applications applied at a time per cluster (a worker's per-cluster concurrency). */
  lanes: number;
  timeoutMs: number;
}

export interface RawApplyFigures {
  objects: number;
  /** From the first apply to the last answer. */
  appliedMs: number;
  /** From the first apply until every Deployment is Available at its generation. */
  availableMs: number;
}

/** Fixed-size lanes over a list: the stand-in for a worker's per-cluster concurrency. */
async function lanes<T>(items: readonly T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await each(item);
      }
    }),
  );
}

export async function rawApply(options: RawApplyOptions): Promise<RawApplyFigures> {
  const { clusters, apps, namespacePrefix } = options;
  const managers = clusters.map((c) => ResourceManager.fromKubeconfig(c.kubeconfig));
  const appsApis = clusters.map((c) => {
    const kc = new KubeConfig();
    kc.loadFromString(c.kubeconfig);
    return kc.makeApiClient(AppsV1Api);
  });
  const deployments = apps.flatMap(options.objectsOf).filter((o) => o.kind === "Deployment").length * clusters.length;
  let objects = 0;
  let failed: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    managers.map((manager) =>
      lanes(apps, options.lanes, async (app) => {
        const changes = await manager.apply(options.objectsOf(app), {
          application: `raw-${app}`,
          commit: "raw",
          namespace: `${namespacePrefix}${app}`,
          createNamespace: true,
          // One request per object: the apply alone, no read before it.
          readLive: false,
        });
        objects += changes.entries.filter((e) => e.owned).length;
        failed = failed.concat(changes.entries.flatMap((e) => (e.error === undefined ? [] : [String(e.error)])));
      }),
    ),
  );
  const appliedMs = performance.now() - t0;
  if (failed.length > 0) throw new Error(`raw apply: ${failed.length} objects failed, the first: ${failed[0]}`);
  await eventually(
    "the raw Deployments to be Available",
    async () => {
      const lists = await Promise.all(appsApis.map((api) => api.listDeploymentForAllNamespaces()));
      const available = lists
        .flatMap((l) => l.items)
        .filter(
          (d) =>
            d.metadata?.namespace?.startsWith(namespacePrefix) &&
            (d.status?.availableReplicas ?? 0) >= 1 &&
            d.status?.observedGeneration === d.metadata.generation,
        ).length;
      return available === deployments ? true : undefined;
    },
    options.timeoutMs,
    500,
  );
  return { objects, appliedMs, availableMs: performance.now() - t0 };
}
