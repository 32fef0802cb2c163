import type { Bundle } from "./bundle.ts";

/**
 * Rendered bundles by input key (see `renderKey`). Asynchronous because the shared implementation lives in
 * Redis, so that every worker — and every agent, which has no Git access — reuses one render.
 */
export interface BundleCache {
  get(inputKey: string): Promise<Bundle | undefined>;
  put(inputKey: string, bundle: Bundle): Promise<void>;
}

export interface MemoryBundleCacheOptions {
  /** Bundles kept; the least recently used goes first. @defaultValue 512 */
  maxEntries: number;
}

/** An in-process LRU: enough for one worker, and the tier in front of the shared cache. */
export class MemoryBundleCache implements BundleCache {
  readonly #entries = new Map<string, Bundle>();
  readonly #maxEntries: number;

  constructor(options: Partial<MemoryBundleCacheOptions> = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 512);
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(inputKey: string): Promise<Bundle | undefined> {
    const bundle = this.#entries.get(inputKey);
    if (bundle) {
      // Map keeps insertion order; re-inserting makes this entry the most recently used.
      this.#entries.delete(inputKey);
      this.#entries.set(inputKey, bundle);
    }
    return bundle;
  }

  async put(inputKey: string, bundle: Bundle): Promise<void> {
    this.#entries.delete(inputKey);
    this.#entries.set(inputKey, bundle);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/**
 * A process-local cache in front of a shared one: each input is fetched from the shared tier (Redis) at most once
 * per process while it stays in memory, and what this process renders is published to both.
 */
export class TieredBundleCache implements BundleCache {
  readonly #near: BundleCache;
  readonly #far: BundleCache;

  constructor(near: BundleCache, far: BundleCache) {
    this.#near = near;
    this.#far = far;
  }

  async get(inputKey: string): Promise<Bundle | undefined> {
    const near = await this.#near.get(inputKey);
    if (near) return near;
    const far = await this.#far.get(inputKey);
    if (far) await this.#near.put(inputKey, far);
    return far;
  }

  async put(inputKey: string, bundle: Bundle): Promise<void> {
    await this.#far.put(inputKey, bundle);
    await this.#near.put(inputKey, bundle);
  }
}
