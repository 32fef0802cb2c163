import { canonicalJson } from "@flotilla/core";
import { ResourceManager } from "@flotilla/kube";
import { createClusterWorker } from "@flotilla/queue";
import { isNoPermissionError } from "@flotilla/store";
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
  await registerSelf(runtime, { ...options, server: manager.server }, log);
  await runtime.store.clusters.heartbeat(cluster);

  const heartbeat = setInterval(() => {
    runtime.store.clusters.heartbeat(cluster).catch((err: unknown) => log.warn({ err }, "heartbeat failed"));
  }, options.heartbeatIntervalMs ?? 10_000);
  heartbeat.unref();

  const worker = createClusterWorker(
    cluster,
    createWorkHandler(runtime.deps, async () => manager),
    runtime.queueOptions,
  );
  const resync = new Resync(runtime, () => [cluster], options.resync);
  resync.start();
  const drift = options.driftWatch === false ? undefined : new DriftWatcher(runtime, resync, options.driftWatch);
  await drift?.watch(cluster, options.kubeconfig);
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
    const registered = await runtime.store.clusters.register({ name: cluster, server, labels, mode: "agent" });
    log.info({ change: registered.change, server }, "cluster registered");
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
