import type { Inventory } from "@flotilla/kube";
import { LuaScript, type StoreKeys, storeKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import { type AppRef, fieldOf } from "./app-ref.ts";
import { entryAt } from "./history.ts";
import { SyncRequests } from "./sync-requests.ts";
import type { AppStatus, HistoryEntry } from "./types.ts";

export interface StatusStoreOptions {
  /** Prefix of every key; the store's, so one prefix holds a whole installation. @defaultValue `"flotilla:"` */
  prefix?: string;
  /** History entries kept per Application and cluster; older ones are trimmed. @defaultValue 1000 */
  historyLimit?: number;
  /** Entries read back when answering `revisionAt`; failures in a row longer than this give no answer. @defaultValue 100 */
  historyScan?: number;
}

/** What one sync leaves behind, written in one transaction so status, inventory and history never disagree. */
export interface SyncRecord {
  status: AppStatus;
  inventory: Inventory;
  /** Absent when the sync changed nothing worth remembering (see `worthRecording`). */
  history?: HistoryEntry;
}

// Replaces a status only if it is still the one read: a sync that wrote in between wins.
const REPLACE_STATUS = new LuaScript(
  `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
`,
  1,
);

/** Per-Application status, inventory and history in Redis. */
export class StatusStore {
  readonly #keys: StoreKeys;
  /** Manual syncs asked for and not yet honoured. */
  readonly requests: SyncRequests;
  readonly #redis: Redis;
  readonly #historyLimit: number;
  readonly #historyScan: number;

  constructor(redis: Redis, options: StatusStoreOptions = {}) {
    this.#redis = redis;
    this.#keys = storeKeys(options.prefix);
    this.requests = new SyncRequests(redis, this.#keys.syncRequests);
    this.#historyLimit = options.historyLimit ?? 1000;
    this.#historyScan = options.historyScan ?? 100;
  }

  async get(ref: AppRef): Promise<AppStatus | undefined> {
    const json = await this.#redis.hget(this.#keys.appStatus(ref.cluster), fieldOf(ref));
    return json === null ? undefined : (JSON.parse(json) as AppStatus);
  }

  /** Every Application's status on a cluster. */
  async list(cluster: string): Promise<AppStatus[]> {
    const all = await this.#redis.hgetall(this.#keys.appStatus(cluster));
    return Object.values(all).map((json) => JSON.parse(json) as AppStatus);
  }

  /**
   * Every Application's status on each of `clusters`, in their order: one pipelined HGETALL per batch of
   * clusters, so a listing over a thousand clusters costs a few round trips, not a thousand. `keep` may rule an
   * entry out before it is parsed (it must only say no to what cannot match).
   */
  async listClusters(
    clusters: readonly string[],
    options: { keep?: (field: string, json: string) => boolean } = {},
  ): Promise<AppStatus[][]> {
    if (clusters.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const cluster of clusters) pipeline.hgetall(this.#keys.appStatus(cluster));
    const replies = (await pipeline.exec()) ?? [];
    const keep = options.keep ?? (() => true);
    return replies.map(([err, hash]) => {
      if (err !== null) throw err;
      // Parsing is most of a listing's cost: what `keep` rules out by its field or text is never parsed.
      return Object.entries(hash as Record<string, string>)
        .filter(([field, json]) => keep(field, json))
        .map(([, json]) => JSON.parse(json) as AppStatus);
    });
  }

  /**
   * The ApplicationSets that have an Application of this name on the cluster: those with a status there (HSCAN
   * over the cluster's hash, matching the name exactly) and the name's recorded owner.
   */
  async appSetsOf(cluster: string, application: string): Promise<string[]> {
    const found = new Set<string>();
    const pattern = `*/${application.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}`;
    let cursor = "0";
    do {
      const [next, entries] = await this.#redis.hscan(
        this.#keys.appStatus(cluster),
        cursor,
        "MATCH",
        pattern,
        "COUNT",
        1000,
      );
      cursor = next;
      for (let i = 0; i < entries.length; i += 2) {
        const field = entries[i]!;
        const slash = field.indexOf("/");
        if (field.slice(slash + 1) === application) found.add(field.slice(0, slash));
      }
    } while (cursor !== "0");
    const owner = await this.#redis.hget(this.#keys.owners(cluster), application);
    if (owner !== null) found.add(owner);
    return [...found].sort();
  }

  async inventory(ref: AppRef): Promise<Inventory> {
    const json = await this.#redis.hget(this.#keys.appInventory(ref.cluster), fieldOf(ref));
    return json === null ? { entries: [] } : (JSON.parse(json) as Inventory);
  }

  /** Every Application's inventory on a cluster: what the drift watch needs to know which kinds to watch. */
  async inventories(cluster: string): Promise<Inventory[]> {
    const all = await this.#redis.hvals(this.#keys.appInventory(cluster));
    return all.map((json) => JSON.parse(json) as Inventory);
  }

  /** Written right after apply, before anything else can fail, so a crash never loses track of a created object. */
  async putInventory(ref: AppRef, inventory: Inventory): Promise<void> {
    await this.#redis.hset(this.#keys.appInventory(ref.cluster), fieldOf(ref), JSON.stringify(inventory));
  }

  async record(ref: AppRef, record: SyncRecord): Promise<void> {
    const tx = this.#redis.multi();
    tx.hset(this.#keys.appStatus(ref.cluster), fieldOf(ref), JSON.stringify(record.status));
    tx.hset(this.#keys.appInventory(ref.cluster), fieldOf(ref), JSON.stringify(record.inventory));
    if (record.history !== undefined) this.#appendTo(tx, ref, record.history);
    await tx.exec();
  }

  /** A failed sync: its status, and its history entry; the inventory is left as the steps wrote it. */
  async recordFailure(ref: AppRef, status: AppStatus, history: HistoryEntry): Promise<void> {
    const tx = this.#redis.multi();
    tx.hset(this.#keys.appStatus(ref.cluster), fieldOf(ref), JSON.stringify(status));
    this.#appendTo(tx, ref, history);
    await tx.exec();
  }

  /** A drift check: the status, and a history entry only when one is given (the sync status changed). */
  async recordVerification(ref: AppRef, status: AppStatus, history: HistoryEntry | undefined): Promise<void> {
    const tx = this.#redis.multi();
    tx.hset(this.#keys.appStatus(ref.cluster), fieldOf(ref), JSON.stringify(status));
    if (history !== undefined) this.#appendTo(tx, ref, history);
    await tx.exec();
  }

  /**
   * Health read after a sync ended (see `withHealth`): no history entry, since nothing was synced. `update` gets the
   * stored status and returns the next one, or undefined to leave it; a status written meanwhile is left as it is.
   * Returns the status written, if any.
   */
  async updateHealth(
    ref: AppRef,
    update: (status: AppStatus) => AppStatus | undefined,
  ): Promise<AppStatus | undefined> {
    const key = this.#keys.appStatus(ref.cluster);
    const json = await this.#redis.hget(key, fieldOf(ref));
    if (json === null) return undefined;
    const next = update(JSON.parse(json) as AppStatus);
    if (next === undefined) return undefined;
    const written = await REPLACE_STATUS.run(this.#redis, [key], [fieldOf(ref), json, JSON.stringify(next)]);
    return written === 1 ? next : undefined;
  }

  /** The Application left the cluster: status and inventory go; history stays and records the deletion. */
  async recordDeletion(ref: AppRef, history: HistoryEntry): Promise<void> {
    const tx = this.#redis.multi();
    tx.hdel(this.#keys.appStatus(ref.cluster), fieldOf(ref));
    tx.hdel(this.#keys.appInventory(ref.cluster), fieldOf(ref));
    // A sync asked for an Application that is gone has nothing left to honour it.
    tx.hdel(this.#keys.syncRequests(ref.cluster), fieldOf(ref));
    this.#appendTo(tx, ref, history);
    await tx.exec();
  }

  /**
   * An Application name handed over from one ApplicationSet to another (a rename): the old one's status and
   * inventory go (the new one's sync took its objects over), and both histories record the move.
   */
  async recordHandover(from: AppRef, to: AppRef, entry: Omit<HistoryEntry, "result" | "message">): Promise<void> {
    const tx = this.#redis.multi();
    tx.hdel(this.#keys.appStatus(from.cluster), fieldOf(from));
    tx.hdel(this.#keys.appInventory(from.cluster), fieldOf(from));
    this.#appendTo(tx, from, {
      ...entry,
      result: "HandedOver",
      message: `handed over to ApplicationSet "${to.appSet}" (renamed in Git); nothing deleted`,
    });
    this.#appendTo(tx, to, {
      ...entry,
      result: "Adopted",
      message: `taken over from ApplicationSet "${from.appSet}" (renamed in Git); nothing deleted`,
    });
    await tx.exec();
  }

  /** Newest first. */
  async history(ref: AppRef, limit = 100): Promise<HistoryEntry[]> {
    const members = await this.#redis.zrevrange(this.#keys.appHistory(ref.cluster, fieldOf(ref)), 0, limit - 1);
    return members.map((json) => JSON.parse(json) as HistoryEntry);
  }

  /** "What revision ran on this cluster at `time`" (epoch ms); undefined when the Application was not there. */
  async revisionAt(ref: AppRef, time: number): Promise<string | undefined> {
    return (await this.entryAt(ref, time))?.revision;
  }

  /** The history entry whose revision ran at `time` (see `entryAt`): the revision and since when it ran. */
  async entryAt(ref: AppRef, time: number): Promise<(HistoryEntry & { revision: string }) | undefined> {
    const members = await this.#redis.zrevrangebyscore(
      this.#keys.appHistory(ref.cluster, fieldOf(ref)),
      time,
      "-inf",
      "LIMIT",
      0,
      this.#historyScan,
    );
    return entryAt(
      members.map((json) => JSON.parse(json) as HistoryEntry),
      time,
    );
  }

  #appendTo(tx: ReturnType<Redis["multi"]>, ref: AppRef, entry: HistoryEntry): void {
    const key = this.#keys.appHistory(ref.cluster, fieldOf(ref));
    tx.zadd(key, entry.at, JSON.stringify(entry));
    // Keeps the newest `historyLimit`: rank 0 is the oldest.
    tx.zremrangebyrank(key, 0, -this.#historyLimit - 1);
  }
}
