import { canonicalJson } from "@flotilla/core";
import { ResourceManager } from "@flotilla/kube";
import { createClusterWorker } from "@flotilla/queue";
import { isClusterNotFoundError, isNoPermissionError } from "@flotilla/store";
import type { Logger } from "pino";
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
  const observer = runtime.observer;
  const manager = ResourceManager.fromKubeconfig(options.kubeconfig, {
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(observer !== undefined && { observeReachability: (reachable) => observer.clusterReached(cluster, reachable) }),
  });
  const register = () => registerSelf(runtime, { ...options, server: manager.server }, log);
  await register();
  await runtime.store.clusters.heartbeat(cluster);

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
    createWorkHandler(runtime.deps, async () => manager, runtime.deletions, runtime.lanes),
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

/**
 * Registers the agent's cluster. An agent with its own Redis user (see `AgentUsers`) may not write the registry:
 * an operator registered the cluster when creating that user, and the agent only checks the record is there, in
 * agent mode. Its FLOTILLA_LABELS cannot be applied then; a difference from the registry's labels is said.
 */
async function registerSelf(
  runtime: WorkerRuntime,
  options: Pick<AgentOptions, "cluster" | "labels"> & { server: string },
  log: Logger,
): Promise<void> {
  const { cluster, server, labels } = options;
  try {
    // The agent declares its labels; keys an operator relabelled stay the operator's (see `registerAgent`).
    const registered = await runtime.store.clusters.registerAgent({ name: cluster, server, labels });
    log.info(
      {
        change: registered.change,
        server,
        labels: registered.labels,
        ...(registered.agentChanged.length > 0 && { agentChanged: registered.agentChanged }),
        ...(registered.overridden.length > 0 && { overriddenByOperator: registered.overridden }),
      },
      "cluster registered",
    );
    return;
  } catch (err) {
    if (!isNoPermissionError(err)) throw err;
  }
  const record = await runtime.store.clusters.get(cluster);
  if (record === undefined || record.mode !== "agent") {
    throw new Error(
      `cluster ${cluster} is not registered in agent mode, and this agent's Redis user may not register it: ` +
        "register the cluster (mode agent) and create its agent user first",
    );
  }
  if (canonicalJson(record.labels) !== canonicalJson(labels) && Object.keys(labels).length > 0) {
    log.warn(
      { labels, registered: record.labels },
      "FLOTILLA_LABELS differ from the registry's labels and are not applied: this agent's Redis user may not write the registry; change the labels in the registry",
    );
  }
  log.info({ server, registeredServer: record.server }, "cluster registered by an operator; serving it");
}
