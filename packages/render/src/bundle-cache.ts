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
