import { createHash } from "node:crypto";
import { type ManagerOptions, ResourceManager } from "./manager.ts";

/**
 * One ResourceManager per cluster, reused across syncs so discovery is cached. A changed kubeconfig (rotated
 * credentials) replaces the cluster's manager.
 */
export class ManagerPool {
  readonly #options: ManagerOptions;
  readonly #managers = new Map<string, { digest: string; manager: ResourceManager }>();

  constructor(options: ManagerOptions = {}) {
    this.#options = options;
  }

  forCluster(cluster: string, kubeconfig: string): ResourceManager {
    const digest = createHash("sha256").update(kubeconfig).digest("hex");
    const existing = this.#managers.get(cluster);
    if (existing?.digest === digest) return existing.manager;
    const manager = ResourceManager.fromKubeconfig(kubeconfig, this.#options);
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
