import type { Resync } from "../modes/resync.ts";
import type { WorkerRuntime } from "../runtime.ts";
import { ClusterWatch, type ClusterWatchOptions } from "./cluster-watch.ts";
import { watchedKinds } from "./watched-kinds.ts";

/** One drift watch per served cluster; a change by someone else re-syncs the Application through the queue. */
export class DriftWatcher {
  readonly #runtime: WorkerRuntime;
  readonly #resync: Resync;
  readonly #options: Partial<ClusterWatchOptions>;
  readonly #watches = new Map<string, ClusterWatch>();

  constructor(runtime: WorkerRuntime, resync: Resync, options: Partial<ClusterWatchOptions> = {}) {
    this.#runtime = runtime;
    this.#resync = resync;
    this.#options = options;
  }

  async watch(cluster: string, kubeconfig: string): Promise<void> {
    if (this.#watches.has(cluster)) return;
    const watch = new ClusterWatch(
      cluster,
      kubeconfig,
      async () => watchedKinds(await this.#runtime.status.inventories(cluster)),
      async (appSet, application, lane) => void (await this.#resync.enqueueApp(cluster, appSet, application, lane)),
      this.#runtime.log,
      this.#options,
      this.#runtime.deps.watch,
    );
    this.#watches.set(cluster, watch);
    await watch.start();
  }

  unwatch(cluster: string): void {
    this.#watches.get(cluster)?.stop();
    this.#watches.delete(cluster);
  }

  /** The kinds watched on a cluster, for diagnostics and tests. */
  watching(cluster: string): string[] {
    return this.#watches.get(cluster)?.watching() ?? [];
  }

  stopAll(): void {
    for (const cluster of [...this.#watches.keys()]) this.unwatch(cluster);
  }
}
