import { createHash } from "node:crypto";
import { type ManagerOptions, ResourceManager } from "./manager.ts";

/**
 * One ResourceManager per cluster, reused across syncs so discovery is cached. A changed kubeconfig (rotated
 * credentials) replaces the cluster's manager.
 */
export interface ManagerPoolOptions extends Omit<ManagerOptions, "observeReachability"> {
  /** Told after each request to a cluster whether it answered. @defaultValue nobody */
  observeReachability?: (cluster: string, reachable: boolean) => void;
}

export class ManagerPool {
  readonly #options: ManagerPoolOptions;
  readonly #managers = new Map<string, { digest: string; manager: ResourceManager }>();

  constructor(options: ManagerPoolOptions = {}) {
    this.#options = options;
  }

  forCluster(cluster: string, kubeconfig: string): ResourceManager {
    const digest = createHash("sha256").update(kubeconfig).digest("hex");
    const existing = this.#managers.get(cluster);
    if (existing?.digest === digest) return existing.manager;
    const { observeReachability, ...options } = this.#options;
    const manager = ResourceManager.fromKubeconfig(kubeconfig, {
      ...options,
      ...(observeReachability !== undefined && {
        observeReachability: (reachable: boolean) => observeReachability(cluster, reachable),
      }),
    });
    this.#managers.set(cluster, { digest, manager });
    return manager;
  }

  /** Forgets a cluster that left the registry. */
  evict(cluster: string): void {
    this.#managers.delete(cluster);
  }

  get size(): number {
    return this.#managers.size;
  }
}
