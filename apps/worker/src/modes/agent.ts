import { ResourceManager } from "@flotilla/kube";
import { createClusterWorker } from "@flotilla/queue";
import { isClusterNotFoundError } from "@flotilla/store";
import type { ClusterWatchOptions } from "../drift/cluster-watch.ts";
import { DriftWatcher } from "../drift/drift-watcher.ts";
import { createWorkHandler } from "../handler.ts";
import type { RunningMode, WorkerRuntime } from "../runtime.ts";
import { Resync, type ResyncOptions } from "./resync.ts";

export interface AgentOptions {
  cluster: string;
  /** A kubeconfig (YAML text) for the agent's own cluster; it never leaves this process. */
  kubeconfig: string;
  /** The labels the agent declares (`FLOTILLA_LABELS`); an operator's relabel of a key wins over them. */
  labels: Record<string, string>;
  /** How often the agent says it is alive. @defaultValue 10000 */
  heartbeatIntervalMs?: number;
  /** Per-request deadline against the cluster. @defaultValue 30000 */
  requestTimeoutMs?: number;
  /** The periodic full re-sync. @defaultValue `defaultResyncOptions()` */
  resync?: Partial<ResyncOptions>;
  /** Watching owned objects for changes by others; false turns it off. @defaultValue `defaultClusterWatchOptions()` */
  driftWatch?: Partial<ClusterWatchOptions> | false;
}

/**
 * Agent mode: registers its own cluster (mode agent, no credentials stored) with labels and a heartbeat, and
 * consumes only that cluster's queue.
 */
/** A running agent; `drift` is its drift watch, when on. */
export interface Agent extends RunningMode {
  readonly drift: DriftWatcher | undefined;
}

export async function startAgent(runtime: WorkerRuntime, options: AgentOptions): Promise<Agent> {
  const { cluster } = options;
  const log = runtime.log.child({ cluster, mode: "agent" });
  const manager = ResourceManager.fromKubeconfig(options.kubeconfig, {
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  });
  // The agent declares its labels; keys an operator relabelled stay the operator's (see `registerAgent`).
  const register = async () => {
    const registered = await runtime.store.clusters.registerAgent({
      name: cluster,
      server: manager.server,
      labels: options.labels,
    });
    await runtime.store.clusters.heartbeat(cluster);
    log.info(
      {
        change: registered.change,
        server: manager.server,
        labels: registered.labels,
        ...(registered.agentChanged.length > 0 && { agentChanged: registered.agentChanged }),
        ...(registered.overridden.length > 0 && { overriddenByOperator: registered.overridden }),
      },
      "cluster registered",
    );
    return registered;
  };
  await register();

  // A heartbeat that finds no record (Redis lost its data, or someone removed the cluster while the agent runs)
  // registers the cluster again: the agent is the source of truth for its own cluster's record.
  const beat = async () => {
    try {
      await runtime.store.clusters.heartbeat(cluster);
    } catch (err) {
      if (!isClusterNotFoundError(err)) throw err;
      log.warn({ server: manager.server }, "cluster record missing at heartbeat; registering again");
      await register();
    }
  };
  const heartbeat = setInterval(() => {
    beat().catch((err: unknown) => log.warn({ err }, "heartbeat failed"));
  }, options.heartbeatIntervalMs ?? 10_000);
  heartbeat.unref();

  const worker = createClusterWorker(
    cluster,
    createWorkHandler(runtime.deps, async () => manager, runtime.deletions),
    runtime.queueOptions,
  );
  const resync = new Resync(runtime, () => [cluster], options.resync);
  resync.start();
  const drift = options.driftWatch === false ? undefined : new DriftWatcher(runtime, resync, options.driftWatch);
  await drift?.watch(cluster, manager);
  return {
    drift,
    async stop(timeoutMs) {
      clearInterval(heartbeat);
      drift?.stopAll();
      await resync.stop();
      const { drained } = await worker.close(timeoutMs);
      log.info({ drained }, "agent stopped");
    },
  };
}
