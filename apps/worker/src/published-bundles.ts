import type { Bundle } from "@flotilla/render";

export interface PublishedBundlesOptions {
  /** Bundles kept in memory; the least recently used goes first. @defaultValue 1024 */
  maxEntries: number;
  /**
   * A bundle is read from the shared store again after this long. Reads renew its TTL there, and the bundles a
   * worker applies are exactly the ones that must not expire. @defaultValue 1 hour
   */
  maxAgeMs: number;
  /** @defaultValue `Date.now` */
  now: () => number;
}

/** The shared store's bundles by digest, with a bounded in-memory copy: a re-sync costs no Redis read. */
export class PublishedBundles {
  readonly #fetch: (digest: string) => Promise<Bundle | undefined>;
  readonly #options: PublishedBundlesOptions;
  readonly #entries = new Map<string, { bundle: Bundle; at: number }>();
  // One read per digest at a time: a new commit's bundle is asked for by every cluster's sync at once.
  readonly #reading = new Map<string, Promise<Bundle | undefined>>();

  constructor(fetch: (digest: string) => Promise<Bundle | undefined>, options: Partial<PublishedBundlesOptions> = {}) {
    this.#fetch = fetch;
    this.#options = { maxEntries: 1024, maxAgeMs: 3_600_000, now: Date.now, ...options };
  }

  async byDigest(digest: string): Promise<Bundle | undefined> {
    const now = this.#options.now();
    const entry = this.#entries.get(digest);
    this.#entries.delete(digest);
    if (entry !== undefined && now - entry.at < this.#options.maxAgeMs) {
      this.#entries.set(digest, entry);
      return entry.bundle;
    }
    const reading = this.#reading.get(digest);
    if (reading !== undefined) return reading;
    const read = this.#read(digest, now);
    this.#reading.set(digest, read);
    try {
      return await read;
    } finally {
      this.#reading.delete(digest);
    }
  }

  async #read(digest: string, now: number): Promise<Bundle | undefined> {
    const bundle = await this.#fetch(digest);
    if (bundle === undefined) return undefined;
    this.#entries.set(digest, { bundle, at: now });
    while (this.#entries.size > this.#options.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    return bundle;
  }
}
