import type { Resync } from "../modes/resync.ts";
import type { WorkerRuntime } from "../runtime.ts";
import { ClusterWatch, type ClusterWatchOptions, type WatchSource } from "./cluster-watch.ts";
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

  /** Watches a cluster through its manager, the one its syncs use (so discovery is shared, not repeated). */
  async watch(cluster: string, source: WatchSource): Promise<void> {
    if (this.#watches.has(cluster)) return;
    const watch = new ClusterWatch({
      cluster,
      source,
      kinds: async () => watchedKinds(await this.#runtime.status.inventories(cluster)),
      onDrift: async (appSet, application, lane) =>
        void (await this.#resync.enqueueApp(cluster, appSet, application, lane)),
      log: this.#runtime.log,
      options: this.#options,
      knowledge: this.#runtime.deps.watch,
    });
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

  /** How often a cluster's watches had to re-list (410 Gone), for diagnostics and tests. */
  relists(cluster: string): number {
    return this.#watches.get(cluster)?.relists() ?? 0;
  }

  stopAll(): void {
    for (const cluster of [...this.#watches.keys()]) this.unwatch(cluster);
  }
}
