import type { HealthStatus, Inventory } from "@flotilla/kube";
import { LuaScript, type StoreKeys, storeKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import { type AppRef, fieldOf, refOf } from "./app-ref.ts";
import { entryAt } from "./history.ts";
import { type SyncRequest, SyncRequests } from "./sync-requests.ts";
import type { AppStatus, HistoryEntry, SyncStatus } from "./types.ts";

/** What a sync reads before it starts, in one round trip (see `StatusStore.syncInputs`). */
export interface SyncInputs {
  status: AppStatus | undefined;
  inventory: Inventory;
  /** The pending sync request; undefined when there is none or it was not asked for. */
  request: SyncRequest | undefined;
}

/** An Application's verdicts on a cluster, without the rest of its status. */
export type AppVerdict = Pick<AppStatus, "appSet" | "application" | "cluster" | "sync" | "health">;

export interface StatusStoreOptions {
  /** Prefix of every key; the store's, so one prefix holds a whole installation. @defaultValue `"flotilla:"` */
  prefix?: string;
  /** History entries kept per Application and cluster; older ones are trimmed. @defaultValue 1000 */
  historyLimit?: number;
  /** Entries read back when answering `revisionAt`; failures in a row longer than this give no answer. @defaultValue 100 */
  historyScan?: number;
  /** Entries the status event stream keeps (approximately: `MAXLEN ~`). @defaultValue 10,000 */
  eventsMaxLen?: number;
}

/** What a status event entry says happened; readers re-read the Application to learn its state. */
export type StatusEventKind = "status" | "deleted";

/** What one sync leaves behind, written in one transaction so status, inventory and history never disagree. */
export interface SyncRecord {
  status: AppStatus;
  inventory: Inventory;
  /** Absent when the sync changed nothing worth remembering (see `worthRecording`). */
  history?: HistoryEntry;
}

// Replaces a status (and its verdicts) only if it is still the one read: a sync that wrote in between wins.
// KEYS: status, verdicts. ARGV: field, status read, status to write, its verdicts.
const REPLACE_STATUS = new LuaScript(
  `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
  return 1
end
return 0
`,
  2,
);

/** The verdicts entry of a status (see `StoreKeys.appVerdicts`). */
export function verdictsOf(status: Pick<AppStatus, "sync" | "health">): string {
  return `${status.sync}|${status.health}`;
}

/** Per-Application status, inventory and history in Redis. */
export class StatusStore {
  readonly #keys: StoreKeys;
  /** Manual syncs asked for and not yet honoured. */
  readonly requests: SyncRequests;
  readonly #redis: Redis;
  readonly #historyLimit: number;
  readonly #historyScan: number;
  readonly #eventsMaxLen: number;

  constructor(redis: Redis, options: StatusStoreOptions = {}) {
    this.#redis = redis;
    this.#keys = storeKeys(options.prefix);
    this.requests = new SyncRequests(redis, this.#keys.syncRequests);
    this.#historyLimit = options.historyLimit ?? 1000;
    this.#historyScan = options.historyScan ?? 100;
    this.#eventsMaxLen = options.eventsMaxLen ?? 10_000;
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
   * Every Application's verdicts on each cluster, without their statuses: what the fleet summary counts. A cluster
   * whose verdicts do not cover its statuses (written before verdicts existed) is answered from its statuses.
   */
  async verdicts(clusters: readonly string[]): Promise<AppVerdict[]> {
    const pipeline = this.#redis.pipeline();
    for (const c of clusters) pipeline.hgetall(this.#keys.appVerdicts(c)).hlen(this.#keys.appStatus(c));
    const replies = (await pipeline.exec()) ?? [];
    const out: AppVerdict[] = [];
    const incomplete: string[] = [];
    clusters.forEach((cluster, i) => {
      const [errV, verdicts] = replies[2 * i] ?? [];
      const [errL, count] = replies[2 * i + 1] ?? [];
      if (errV || errL) throw errV ?? errL;
      const entries = Object.entries(verdicts as Record<string, string>);
      if (entries.length !== count) {
        incomplete.push(cluster);
        return;
      }
      for (const [field, value] of entries) {
        const ref = refOf(cluster, field);
        const bar = value.indexOf("|");
        if (ref === undefined || bar < 0) continue;
        out.push({ ...ref, sync: value.slice(0, bar) as SyncStatus, health: value.slice(bar + 1) as HealthStatus });
      }
    });
    for (const statuses of await Promise.all(incomplete.map((c) => this.list(c)))) {
      for (const s of statuses) out.push(s);
    }
    return out;
  }

  /** The statuses of these Applications (one round trip per cluster, all at once); the missing ones are left out. */
  async getMany(refs: readonly AppRef[]): Promise<AppStatus[]> {
    const byCluster = new Map<string, string[]>();
    for (const r of refs) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), fieldOf(r)]);
    const answers = await Promise.all(
      [...byCluster].map(([cluster, fields]) => this.#redis.hmget(this.#keys.appStatus(cluster), ...fields)),
    );
    return answers.flat().flatMap((json) => (json === null ? [] : [JSON.parse(json) as AppStatus]));
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

  /**
   * The status, the inventory and (with `request`) the pending sync request of one Application, pipelined: one
   * round trip where three reads took three.
   */
  async syncInputs(ref: AppRef, options: { request: boolean }): Promise<SyncInputs> {
    const field = fieldOf(ref);
    const pipeline = this.#redis.pipeline();
    pipeline.hget(this.#keys.appStatus(ref.cluster), field).hget(this.#keys.appInventory(ref.cluster), field);
    if (options.request) pipeline.hget(this.#keys.syncRequests(ref.cluster), field);
    const replies = (await pipeline.exec()) ?? [];
    const values = replies.map(([err, value]) => {
      if (err) throw err;
      return value as string | null;
    });
    const [status, inventory, request] = values;
    return {
      status: status == null ? undefined : (JSON.parse(status) as AppStatus),
      inventory: inventory == null ? { entries: [] } : (JSON.parse(inventory) as Inventory),
      request: request == null ? undefined : (JSON.parse(request) as SyncRequest),
    };
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
    this.#putStatus(tx, ref, record.status);
    tx.hset(this.#keys.appInventory(ref.cluster), fieldOf(ref), JSON.stringify(record.inventory));
    if (record.history !== undefined) this.#appendTo(tx, ref, record.history);
    this.#announce(tx, ref, "status");
    await exec(tx);
  }

  /** A failed sync: its status, and its history entry; the inventory is left as the steps wrote it. */
  async recordFailure(ref: AppRef, status: AppStatus, history: HistoryEntry): Promise<void> {
    const tx = this.#redis.multi();
    this.#putStatus(tx, ref, status);
    this.#appendTo(tx, ref, history);
    this.#announce(tx, ref, "status");
    await exec(tx);
  }

  /** A drift check: the status, and a history entry only when one is given (the sync status changed). */
  async recordVerification(ref: AppRef, status: AppStatus, history: HistoryEntry | undefined): Promise<void> {
    const tx = this.#redis.multi();
    this.#putStatus(tx, ref, status);
    if (history !== undefined) this.#appendTo(tx, ref, history);
    this.#announce(tx, ref, "status");
    await exec(tx);
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
    const written = await REPLACE_STATUS.run(
      this.#redis,
      [key, this.#keys.appVerdicts(ref.cluster)],
      [fieldOf(ref), json, JSON.stringify(next), verdictsOf(next)],
    );
    if (written !== 1) return undefined;
    // Not inside the script: a script's keys need read permission too, and an agent may only append to the stream.
    // A crash between the two loses one event; the next write of this Application announces it again.
    const tx = this.#redis.multi();
    this.#announce(tx, ref, "status");
    await exec(tx);
    return next;
  }

  /** The Application left the cluster: status and inventory go; history stays and records the deletion. */
  async recordDeletion(ref: AppRef, history: HistoryEntry): Promise<void> {
    const tx = this.#redis.multi();
    tx.hdel(this.#keys.appStatus(ref.cluster), fieldOf(ref));
    tx.hdel(this.#keys.appVerdicts(ref.cluster), fieldOf(ref));
    tx.hdel(this.#keys.appInventory(ref.cluster), fieldOf(ref));
    // A sync asked for an Application that is gone has nothing left to honour it.
    tx.hdel(this.#keys.syncRequests(ref.cluster), fieldOf(ref));
    this.#appendTo(tx, ref, history);
    this.#announce(tx, ref, "deleted");
    await exec(tx);
  }

  /**
   * An Application name handed over from one ApplicationSet to another (a rename): the old one's status and
   * inventory go (the new one's sync took its objects over), and both histories record the move.
   */
  async recordHandover(from: AppRef, to: AppRef, entry: Omit<HistoryEntry, "result" | "message">): Promise<void> {
    const tx = this.#redis.multi();
    tx.hdel(this.#keys.appStatus(from.cluster), fieldOf(from));
    tx.hdel(this.#keys.appVerdicts(from.cluster), fieldOf(from));
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
    this.#announce(tx, from, "deleted");
    await exec(tx);
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

  #putStatus(tx: ReturnType<Redis["multi"]>, ref: AppRef, status: AppStatus): void {
    tx.hset(this.#keys.appStatus(ref.cluster), fieldOf(ref), JSON.stringify(status));
    tx.hset(this.#keys.appVerdicts(ref.cluster), fieldOf(ref), verdictsOf(status));
  }

  /** The status event of this write, in its transaction: a reader sees the write when it sees the event. */
  #announce(tx: ReturnType<Redis["multi"]>, ref: AppRef, kind: StatusEventKind): void {
    tx.xadd(
      this.#keys.statusEvents,
      "MAXLEN",
      "~",
      this.#eventsMaxLen,
      "*",
      "kind",
      kind,
      "cluster",
      ref.cluster,
      "appSet",
      ref.appSet,
      "application",
      ref.application,
    );
  }

  #appendTo(tx: ReturnType<Redis["multi"]>, ref: AppRef, entry: HistoryEntry): void {
    const key = this.#keys.appHistory(ref.cluster, fieldOf(ref));
    tx.zadd(key, entry.at, JSON.stringify(entry));
    // Keeps the newest `historyLimit`: rank 0 is the oldest.
    tx.zremrangebyrank(key, 0, -this.#historyLimit - 1);
  }
}

/**
 * EXEC, failing when any command in it failed: ioredis reports a refused command (an agent's ACL, say) in the
 * replies rather than by rejecting, and a status write that silently did not happen is worse than an error.
 */
async function exec(tx: ReturnType<Redis["multi"]>): Promise<void> {
  const replies = await tx.exec();
  if (replies === null) throw new Error("status write aborted (the transaction was discarded)");
  const failed = replies.find(([err]) => err !== null)?.[0];
  if (failed) throw failed;
}
