import type { Redis } from "ioredis";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/** An Application on a cluster whose deletion was asked for. */
export interface DeletionRef {
  cluster: string;
  appSet: string;
  application: string;
}

/**
 * A delete that failed and is still owed: the Application left Git (or its cluster left the generation), some of
 * its objects could not be removed, and nothing in Git will ask again. It stays until a retry succeeds, the
 * cluster is removed from the registry, or an operator abandons it.
 */
export interface PendingDeletion extends DeletionRef {
  /** As the delete job asked: forget the Application but keep its objects. */
  preserveResources: boolean;
  /** The fleet commit at which the Application left Git, for history. */
  revision?: string;
  /** Failed attempts so far. */
  attempts: number;
  /** Why the last attempt failed. */
  lastError: string;
  /** Epoch ms of the first failed attempt. */
  since: number;
  /** Epoch ms of the last failed attempt. */
  lastAttemptAt: number;
  /** Epoch ms before which the sweep does not try again. */
  nextAttemptAt: number;
}

export interface DeletionFailure extends DeletionRef {
  preserveResources: boolean;
  revision?: string;
  error: string;
  /** Epoch ms of the failed attempt. */
  at: number;
  /** The wait before the next attempt, given the attempts made so far (1 after the first failure). */
  retryDelayMs: (attempts: number) => number;
}

/**
 * Writes a record only while its cluster is registered: removing a cluster drops its debts, and an attempt that
 * was still running then must not bring them back. KEYS: clusters, pending deletions. ARGV: cluster, field, JSON
 */
const PUT_IF_REGISTERED = new LuaScript(
  `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
`,
  2,
);

// An error message is for an operator to read; a megabyte of server output would only bloat every status read.
const MAX_ERROR_LENGTH = 4096;

/**
 * The pending deletions, one hash per cluster (`<appSet>/<application>` → record JSON), so that a cluster's
 * debts are one HGETALL and removing a cluster drops them with one key.
 *
 * Writes for one Application come from its delete jobs, which never run at once (per-Application
 * serialization), so a read-modify-write is safe. An operator abandoning a deletion while an attempt of it is
 * running may see the record come back when that attempt fails: it is then still owed, and shown.
 */
export class PendingDeletionStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /**
   * Records a failed attempt: creates the record or counts one more attempt on it. Returns the record written, or
   * undefined when the cluster is not registered (any more): nothing is owed on a cluster Flotilla no longer has.
   */
  async recordFailure(failure: DeletionFailure): Promise<PendingDeletion | undefined> {
    const previous = await this.get(failure);
    const attempts = (previous?.attempts ?? 0) + 1;
    const record: PendingDeletion = {
      cluster: failure.cluster,
      appSet: failure.appSet,
      application: failure.application,
      preserveResources: failure.preserveResources,
      attempts,
      lastError: failure.error.slice(0, MAX_ERROR_LENGTH),
      since: previous?.since ?? failure.at,
      lastAttemptAt: failure.at,
      nextAttemptAt: failure.at + Math.max(0, failure.retryDelayMs(attempts)),
    };
    const revision = failure.revision ?? previous?.revision;
    if (revision !== undefined) record.revision = revision;
    const written = await PUT_IF_REGISTERED.run(
      this.#redis,
      [this.#keys.clusters, this.#keys.pendingDeletions(failure.cluster)],
      [failure.cluster, fieldOf(failure), JSON.stringify(record)],
    );
    return written === 1 ? record : undefined;
  }

  /** The deletion is done (or no longer wanted): its record goes. True when there was one. */
  async settle(ref: DeletionRef): Promise<boolean> {
    return (await this.#redis.hdel(this.#keys.pendingDeletions(ref.cluster), fieldOf(ref))) === 1;
  }

  async get(ref: DeletionRef): Promise<PendingDeletion | undefined> {
    const json = await this.#redis.hget(this.#keys.pendingDeletions(ref.cluster), fieldOf(ref));
    return json === null ? undefined : (JSON.parse(json) as PendingDeletion);
  }

  /** A cluster's pending deletions, oldest first. */
  async list(cluster: string): Promise<PendingDeletion[]> {
    const all = await this.#redis.hvals(this.#keys.pendingDeletions(cluster));
    return all
      .map((json) => JSON.parse(json) as PendingDeletion)
      .sort((a, b) => a.since - b.since || fieldOf(a).localeCompare(fieldOf(b)));
  }

  /** A cluster's pending deletions whose next attempt is due at `now` (epoch ms). */
  async due(cluster: string, now: number): Promise<PendingDeletion[]> {
    return (await this.list(cluster)).filter((d) => d.nextAttemptAt <= now);
  }

  /**
   * An operator gives up on a deletion: the record goes and nothing retries it; whatever objects are left stay
   * on the cluster. Returns the record abandoned, undefined when there was none.
   */
  async abandonDeletion(ref: DeletionRef): Promise<PendingDeletion | undefined> {
    const key = this.#keys.pendingDeletions(ref.cluster);
    const replies = await this.#redis.multi().hget(key, fieldOf(ref)).hdel(key, fieldOf(ref)).exec();
    const json = replies?.[0]?.[1];
    return typeof json === "string" ? (JSON.parse(json) as PendingDeletion) : undefined;
  }
}

function fieldOf(ref: DeletionRef): string {
  return `${ref.appSet}/${ref.application}`;
}
