import { gunzipSync, gzipSync } from "node:zlib";
import { type Bundle, type BundleCache, bundleDigest } from "@flotilla/render";
import type { Redis } from "ioredis";
import { isNoPermissionError } from "./errors/no-permission.ts";
import type { StoreKeys } from "./keys.ts";

export interface BundleStoreOptions {
  /**
   * A bundle nobody read for this long is dropped. Every read renews it, and workers read the bundles they apply
   * at every periodic re-sync, so only bundles no Application uses any more expire. @defaultValue 7 days
   */
  ttlSeconds: number;
  /** Compressed size above which a bundle is refused rather than stored. @defaultValue 16 MiB */
  maxBytes: number;
}

export function defaultBundleStoreOptions(): BundleStoreOptions {
  return { ttlSeconds: 7 * 24 * 3600, maxBytes: 16 * 1024 * 1024 };
}

/** A stored bundle that cannot be trusted: unreadable, or its manifests do not hash to its name. */
export class CorruptBundleError extends Error {
  override readonly name = "CorruptBundleError";
}

/**
 * Rendered bundles shared by every process of the fleet, in Redis: the generator renders each unique input once
 * and publishes it here; workers and agents fetch it by digest and need no Git access. Also the shared tier of the
 * renderer's cache (by input key), so a pool worker that renders for itself reuses what any other rendered.
 * Bundles are stored gzip-compressed; a read verifies the content digest, so a damaged entry is an error rather
 * than something applied to a cluster.
 */
export class BundleStore implements BundleCache {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  readonly #options: BundleStoreOptions;
  #renewOnRead = true;

  constructor(redis: Redis, keys: StoreKeys, options: Partial<BundleStoreOptions> = {}) {
    this.#redis = redis;
    this.#keys = keys;
    this.#options = { ...defaultBundleStoreOptions(), ...options };
  }

  /** Stores the bundle under its digest and indexes it under the input that produced it. */
  async put(inputKey: string, bundle: Bundle): Promise<void> {
    const packed = gzipSync(JSON.stringify(bundle));
    if (packed.length > this.#options.maxBytes) {
      throw new RangeError(
        `bundle ${bundle.digest} is ${packed.length} bytes compressed; at most ${this.#options.maxBytes} are stored`,
      );
    }
    const ttl = this.#options.ttlSeconds;
    await this.#redis
      .multi()
      .set(this.#keys.bundle(bundle.digest), packed, "EX", ttl)
      .set(this.#keys.bundleByInput(inputKey), bundle.digest, "EX", ttl)
      .exec();
  }

  /** The bundle an input rendered to, if any process rendered it. */
  async get(inputKey: string): Promise<Bundle | undefined> {
    const digest = await this.#redis.getex(this.#keys.bundleByInput(inputKey), "EX", this.#options.ttlSeconds);
    return digest === null ? undefined : await this.byDigest(digest);
  }

  /**
   * The bundle with this content digest; undefined when it was never stored or has expired. An agent whose Redis
   * user may only read bundles (see `AgentUsers`) cannot renew the TTL: after the first refusal it reads without
   * renewing, and the bundle's lifetime is kept by the generator and the pool workers that read it too.
   */
  async byDigest(digest: string): Promise<Bundle | undefined> {
    const key = this.#keys.bundle(digest);
    let packed: Buffer | null;
    if (this.#renewOnRead) {
      try {
        packed = await this.#redis.getexBuffer(key, "EX", this.#options.ttlSeconds);
      } catch (err) {
        if (!isNoPermissionError(err)) throw err;
        this.#renewOnRead = false;
        packed = await this.#redis.getBuffer(key);
      }
    } else {
      packed = await this.#redis.getBuffer(key);
    }
    if (packed === null) return undefined;
    return unpack(digest, packed);
  }
}

function unpack(digest: string, packed: Buffer): Bundle {
  let bundle: Bundle;
  try {
    bundle = JSON.parse(gunzipSync(packed).toString("utf8")) as Bundle;
  } catch (err) {
    throw new CorruptBundleError(`stored bundle ${digest} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  if (bundle === null || typeof bundle !== "object" || !Array.isArray(bundle.manifests)) {
    throw new CorruptBundleError(`stored bundle ${digest} has no manifests list`);
  }
  const actual = bundleDigest(bundle.manifests);
  if (bundle.digest !== digest || actual !== digest) {
    throw new CorruptBundleError(`stored bundle ${digest} does not match its content (it hashes to ${actual})`);
  }
  return bundle;
}
