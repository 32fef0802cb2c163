import type { ResourceManager } from "@flotilla/kube";

/**
 * Each cluster's manager as its stored record and credentials last made it, for a few seconds: every sync asked
 * the registry for both (a round trip, a decryption, a kubeconfig and its digest) although they change only when an
 * operator rotates credentials or moves a server, which then take effect within `maxAgeMs`. Syncs of one cluster
 * that start together share one read; a read that fails is no answer for the next sync.
 */
export class RecentManagers {
  readonly #load: (cluster: string) => Promise<ResourceManager>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; manager: Promise<ResourceManager> }>();

  constructor(load: (cluster: string) => Promise<ResourceManager>, maxAgeMs: number, now: () => number = Date.now) {
    this.#load = load;
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  get(cluster: string): Promise<ResourceManager> {
    const now = this.#now();
    const entry = this.#entries.get(cluster);
    if (entry !== undefined && now - entry.at < this.#maxAgeMs) return entry.manager;
    const manager = this.#load(cluster);
    const fresh = { at: now, manager };
    this.#entries.set(cluster, fresh);
    manager.catch(() => {
      if (this.#entries.get(cluster) === fresh) this.#entries.delete(cluster);
    });
    return manager;
  }

  /** The cluster left this worker: its next sync, here or anywhere, reads the registry again. */
  forget(cluster: string): void {
    this.#entries.delete(cluster);
  }
}
