import { createHash } from "node:crypto";
import { canonicalJson } from "@flotilla/core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type {
  ClusterChange,
  ClusterChangeType,
  ClusterCredentials,
  ClusterMode,
  ClusterRegistration,
  ClusterRemoval,
  ClusterWriteResult,
  RegisteredCluster,
} from "./cluster-types.ts";
import { validateRegistration } from "./cluster-validate.ts";
import { type ClusterWatchOptions, type StopWatching, watchClusters } from "./cluster-watch.ts";
import { decryptSecret, encryptSecret, secretDigest } from "./crypto.ts";
import { ClusterNotFoundError } from "./errors/cluster-not-found-error.ts";
import { missingKeyError } from "./key.ts";
import type { StoreKeys } from "./keys.ts";
import { type LabelOwnership, labelsOnAgentRegistration, ownershipOnRelabel } from "./label-precedence.ts";
import { LuaScript } from "./lua.ts";

/** Stored shape of a cluster record: what readers get, minus the fields derived at read time. */
interface StoredCluster {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mode: ClusterMode;
  hasCredentials: boolean;
  updatedAt: string;
  /** Which labels are the agent's and which the operator's (see `label-precedence.ts`); never shown to readers. */
  labelOwnership?: LabelOwnership;
  removing?: ClusterRemoval;
}

/** An agent registering its own cluster: what it declares about itself. */
export type AgentRegistration = Pick<ClusterRegistration, "name" | "server" | "labels" | "annotations">;

export interface AgentRegistrationResult extends ClusterWriteResult {
  /** The effective labels after the registration. */
  labels: Record<string, string>;
  /** Keys of its own the agent added, changed or removed since it last registered. */
  agentChanged: string[];
  /** Keys the agent declares differently, kept at the operator's value. */
  overridden: string[];
}

export interface ClusterRegistryOptions {
  /** Entries kept in the change stream; older ones are trimmed (approximately). @defaultValue 10000 */
  eventStreamLength?: number;
  /** How many times `setLabels` retries when a concurrent write changed the record under it. @defaultValue 5 */
  casRetries?: number;
}

const CREDS_KEEP = "keep";
const CREDS_SET = "set";
const CREDS_CLEAR = "clear";
/** The expected digest of a record that must not exist yet (a first registration racing another). */
const NO_RECORD = "none";

/**
 * Writes a record, and when it really changed, bumps the version and appends the event in the same script, so a
 * watcher can never see a version without its event or the reverse. An identical record is a no-op: agents
 * re-register on every start and that must not wake every generator.
 * KEYS: clusters, digests, labels, credentials, version, events
 * ARGV: name, record, digest, labels, credentials mode, credentials blob, expected digest ("" = any, "none" = no
 * record yet), maxlen
 */
const UPSERT = new LuaScript(
  `
local name = ARGV[1]
local old = redis.call('HGET', KEYS[2], name)
if ARGV[7] == '${NO_RECORD}' then
  if old then return {'conflict', '0', '0'} end
elseif ARGV[7] ~= '' and old ~= ARGV[7] then return {'conflict', '0', '0'} end
if old == ARGV[3] then return {'unchanged', redis.call('GET', KEYS[5]) or '0', '0'} end
local oldLabels = redis.call('HGET', KEYS[3], name)
redis.call('HSET', KEYS[1], name, ARGV[2])
redis.call('HSET', KEYS[2], name, ARGV[3])
redis.call('HSET', KEYS[3], name, ARGV[4])
if ARGV[5] == '${CREDS_SET}' then redis.call('HSET', KEYS[4], name, ARGV[6])
elseif ARGV[5] == '${CREDS_CLEAR}' then redis.call('HDEL', KEYS[4], name) end
local kind = 'added'
if old then kind = 'updated' end
local labelsChanged = '0'
if oldLabels ~= ARGV[4] then labelsChanged = '1' end
local v = redis.call('INCR', KEYS[5])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[8], '*',
  'type', kind, 'cluster', name, 'labelsChanged', labelsChanged, 'version', v)
return {kind, tostring(v), labelsChanged}
`,
  6,
);

/**
 * Removes a cluster and, with it, the deletions still owed on it: nothing will ever serve that cluster's queue
 * again, and its objects are out of Flotilla's reach.
 * KEYS: clusters, digests, labels, credentials, the cluster's heartbeat, version, events, pending deletions, the
 * cluster's last contact. ARGV: name, maxlen
 */
const REMOVE = new LuaScript(
  `
local name = ARGV[1]
if redis.call('HDEL', KEYS[1], name) == 0 then return {'unchanged', redis.call('GET', KEYS[6]) or '0'} end
redis.call('HDEL', KEYS[2], name)
redis.call('HDEL', KEYS[3], name)
redis.call('HDEL', KEYS[4], name)
redis.call('DEL', KEYS[5])
redis.call('DEL', KEYS[8])
redis.call('DEL', KEYS[9])
local v = redis.call('INCR', KEYS[6])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[2], '*',
  'type', 'removed', 'cluster', name, 'labelsChanged', '1', 'version', v)
return {'removed', tostring(v)}
`,
  9,
);

/**
 * The cluster registry. Every change bumps a version and appends an event to a stream, which `watch` follows; the
 * generator uses it to regenerate the ApplicationSets a change affects without waiting for its poll.
 */
export class ClusterRegistry {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  readonly #encryptionKey: Buffer | undefined;
  readonly #log: Logger;
  readonly #maxLen: number;
  readonly #casRetries: number;

  constructor(
    redis: Redis,
    keys: StoreKeys,
    encryptionKey: Buffer | undefined,
    log: Logger,
    options: ClusterRegistryOptions = {},
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#encryptionKey = encryptionKey;
    this.#log = log;
    this.#maxLen = options.eventStreamLength ?? 10_000;
    this.#casRetries = options.casRetries ?? 5;
  }

  /** Registers a cluster or replaces its record. Credentials given replace the stored ones; none clears them. */
  async register(reg: ClusterRegistration): Promise<ClusterWriteResult> {
    validateRegistration(reg);
    const record: StoredCluster = {
      name: reg.name,
      server: reg.server,
      labels: reg.labels ?? {},
      annotations: reg.annotations ?? {},
      mode: reg.mode,
      hasCredentials: reg.credentials !== undefined,
      updatedAt: new Date().toISOString(),
    };
    let blob = "";
    let credsDigest = "none";
    if (reg.credentials !== undefined) {
      const key = this.#requireKey(`cannot store credentials of cluster ${reg.name}`);
      const material = canonicalJson(reg.credentials);
      blob = encryptSecret(key, material, credentialsAad(reg.name, reg.server));
      credsDigest = secretDigest(key, material);
    }
    const result = await this.#write(
      record,
      credsDigest,
      reg.credentials === undefined ? CREDS_CLEAR : CREDS_SET,
      blob,
    );
    if (result === undefined) throw new Error("unreachable: unconditional cluster write reported a conflict");
    return result;
  }

  /**
   * An agent (re-)registers its own cluster: mode agent, no credentials, its declared labels merged under the
   * operator's (see `labelsOnAgentRegistration`): a restart with different `FLOTILLA_LABELS` changes the agent's
   * own keys and never a key an operator set. Compare-and-set, as `setLabels`, so neither overwrites the other.
   */
  async registerAgent(reg: AgentRegistration): Promise<AgentRegistrationResult> {
    const declared = reg.labels ?? {};
    validateRegistration({ ...reg, labels: declared, mode: "agent" });
    for (let attempt = 0; attempt <= this.#casRetries; attempt++) {
      const [json, digest] = await Promise.all([
        this.#redis.hget(this.#keys.clusters, reg.name),
        this.#redis.hget(this.#keys.clusterDigests, reg.name),
      ]);
      const current = json === null ? undefined : (JSON.parse(json) as StoredCluster);
      const outcome = labelsOnAgentRegistration(
        declared,
        current === undefined ? undefined : { labels: current.labels, ownership: current.labelOwnership ?? {} },
      );
      const record: StoredCluster = {
        name: reg.name,
        server: reg.server,
        labels: outcome.labels,
        annotations: reg.annotations ?? {},
        mode: "agent",
        hasCredentials: false,
        updatedAt: new Date().toISOString(),
        labelOwnership: outcome.ownership,
        // An agent restarting while its cluster is removed must not call the removal off.
        ...(current?.removing !== undefined && { removing: current.removing }),
      };
      const result = await this.#write(record, "none", CREDS_CLEAR, "", digest ?? NO_RECORD);
      if (result === undefined) continue;
      if (outcome.agentChanged.length > 0 || outcome.overridden.length > 0) {
        this.#log.info(
          { cluster: reg.name, agentChanged: outcome.agentChanged, overridden: outcome.overridden },
          "agent labels changed; operator-set labels kept",
        );
      }
      return { ...result, labels: outcome.labels, agentChanged: outcome.agentChanged, overridden: outcome.overridden };
    }
    throw new Error(
      `cluster ${reg.name}: not registered, the record kept changing under ${this.#casRetries + 1} attempts`,
    );
  }

  /** Which labels an agent declared and which keys an operator owns; undefined for an unknown cluster. */
  async labelOwnership(name: string): Promise<LabelOwnership | undefined> {
    const json = await this.#redis.hget(this.#keys.clusters, name);
    return json === null ? undefined : ((JSON.parse(json) as StoredCluster).labelOwnership ?? {});
  }

  async get(name: string): Promise<RegisteredCluster | undefined> {
    const [json, seen] = await Promise.all([
      this.#redis.hget(this.#keys.clusters, name),
      this.#redis.get(this.#keys.clusterHeartbeat(name)),
    ]);
    return json === null ? undefined : toRegistered(json, seen);
  }

  /** Every registered cluster, sorted by name. */
  async list(): Promise<RegisteredCluster[]> {
    const records = await this.#redis.hgetall(this.#keys.clusters);
    const names = Object.keys(records).sort();
    if (names.length === 0) return [];
    const seen = await this.#redis.mget(names.map((name) => this.#keys.clusterHeartbeat(name)));
    return names.map((name, i) => toRegistered(records[name]!, seen[i] ?? null));
  }

  async remove(name: string): Promise<ClusterWriteResult> {
    const k = this.#keys;
    const reply = (await REMOVE.run(
      this.#redis,
      [
        k.clusters,
        k.clusterDigests,
        k.clusterLabels,
        k.clusterCredentials,
        k.clusterHeartbeat(name),
        k.clusterVersion,
        k.clusterEvents,
        k.pendingDeletions(name),
        k.clusterContact(name),
      ],
      [name, this.#maxLen],
    )) as [string, string];
    const change = reply[0] === "removed" ? "removed" : "unchanged";
    if (change === "removed") this.#log.info({ cluster: name }, "cluster removed");
    return { change, labelsChanged: change === "removed", version: Number(reply[1]) };
  }

  /**
   * The operator replaces a cluster's labels, leaving everything else (credentials included) as it is. Every key
   * whose value now differs from the agent's declaration becomes the operator's, which the agent's restarts leave
   * alone (see `ownershipOnRelabel`). Compare-and-set on the record's digest, so a concurrent re-registration is
   * never overwritten with stale fields.
   */
  async setLabels(name: string, labels: Record<string, string>): Promise<ClusterWriteResult> {
    return this.relabel(name, () => labels);
  }

  /**
   * As `setLabels`, with the labels computed from the current ones inside the compare-and-set loop: a merge
   * (`cluster label k=v k2-`) never loses a concurrent change. `change` may run more than once; it may throw.
   */
  async relabel(
    name: string,
    change: (current: Readonly<Record<string, string>>) => Record<string, string>,
  ): Promise<ClusterWriteResult> {
    for (let attempt = 0; attempt <= this.#casRetries; attempt++) {
      const [json, digest] = await Promise.all([
        this.#redis.hget(this.#keys.clusters, name),
        this.#redis.hget(this.#keys.clusterDigests, name),
      ]);
      if (json === null || digest === null) throw new ClusterNotFoundError(name);
      const current = JSON.parse(json) as StoredCluster;
      const labels = change(current.labels);
      const next: StoredCluster = {
        ...current,
        labels,
        updatedAt: new Date().toISOString(),
        labelOwnership: ownershipOnRelabel(labels, current.labelOwnership ?? {}),
      };
      validateRegistration({ ...withoutOwnership(next), credentials: undefined, mode: "agent" });
      const credsDigest = digest.slice(digest.indexOf(".") + 1);
      const result = await this.#write(next, credsDigest, CREDS_KEEP, "", digest);
      if (result !== undefined) return result;
    }
    throw new Error(`cluster ${name}: labels not set, the record kept changing under ${this.#casRetries + 1} attempts`);
  }

  /**
   * Starts removing a cluster: the record says so (readers see `removing`), generation treats the cluster as absent
   * and its Applications' deletions go through the deletion guard, while workers keep serving it so those deletes
   * run. `remove` drops the record once nothing of it is left. Compare-and-set, as `setLabels`. Returns the removal
   * in force (the earlier one when it was already being removed).
   */
  async markRemoving(name: string, now: Date = new Date()): Promise<ClusterRemoval> {
    for (let attempt = 0; attempt <= this.#casRetries; attempt++) {
      const [json, digest] = await Promise.all([
        this.#redis.hget(this.#keys.clusters, name),
        this.#redis.hget(this.#keys.clusterDigests, name),
      ]);
      if (json === null || digest === null) throw new ClusterNotFoundError(name);
      const current = JSON.parse(json) as StoredCluster;
      if (current.removing !== undefined) return current.removing;
      const removing: ClusterRemoval = { since: now.toISOString() };
      const next: StoredCluster = { ...current, removing, updatedAt: now.toISOString() };
      const credsDigest = digest.slice(digest.indexOf(".") + 1);
      const result = await this.#write(next, credsDigest, CREDS_KEEP, "", digest);
      if (result !== undefined) {
        this.#log.info({ cluster: name }, "cluster removal started");
        return removing;
      }
    }
    throw new Error(
      `cluster ${name}: removal not started, the record kept changing under ${this.#casRetries + 1} attempts`,
    );
  }

  /**
   * Records that an agent is alive. Not a registry change: it neither bumps the version nor emits an event. No
   * script, because a script's keys all count as written and an agent's Redis user may only read the records:
   * the heartbeat is written first and taken back when the record is gone, so a heartbeat never outlives a
   * removal (removing deletes it too, whichever comes second).
   */
  async heartbeat(name: string, now: number = Date.now()): Promise<void> {
    const key = this.#keys.clusterHeartbeat(name);
    await this.#redis.set(key, String(now));
    if ((await this.#redis.hexists(this.#keys.clusters, name)) === 1) return;
    await this.#redis.del(key);
    throw new ClusterNotFoundError(name);
  }

  /**
   * Decrypted credentials of a pool-mode cluster; undefined when it has none. Never log the result. They decrypt
   * only for the server they were registered with: a record whose `server` was changed afterwards (by anyone who
   * can write the registry) fails with a DecryptError instead of handing the token to the new server.
   */
  async getCredentials(name: string): Promise<ClusterCredentials | undefined> {
    // One transaction, so the server checked is the one of the record read alongside the blob.
    const replies = await this.#redis
      .multi()
      .hget(this.#keys.clusters, name)
      .hget(this.#keys.clusterCredentials, name)
      .exec();
    const [json, blob] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value as string | null;
    });
    if (json == null || blob == null) return undefined;
    const { server } = JSON.parse(json) as StoredCluster;
    const key = this.#requireKey(`cannot read credentials of cluster ${name}`);
    const material = decryptSecret(key, blob, credentialsAad(name, server), `cluster ${name} (server ${server})`);
    return JSON.parse(material) as ClusterCredentials;
  }

  /** The registry version: bumped by every change, so "anything new since v?" is one GET. */
  async version(): Promise<number> {
    return Number((await this.#redis.get(this.#keys.clusterVersion)) ?? 0);
  }

  /**
   * Calls `onChange` for every registry change from now on (or from `options.fromVersion`), in order, one at a
   * time. Survives reconnects; when changes were lost it delivers a `resync` instead of staying silent.
   * Returns a function that stops watching; its `ready` promise resolves once the watch is positioned, so that
   * "changes after this point" is well defined.
   */
  watch(onChange: (change: ClusterChange) => void | Promise<void>, options: ClusterWatchOptions = {}): StopWatching {
    return watchClusters(this.#redis, this.#keys, this.#log, onChange, options);
  }

  async #write(
    record: StoredCluster,
    credsDigest: string,
    credsMode: string,
    blob: string,
    expectedDigest = "",
  ): Promise<ClusterWriteResult | undefined> {
    const { updatedAt: _ignored, ...identity } = record;
    const digest = `${sha256(canonicalJson(identity))}.${credsDigest}`;
    const k = this.#keys;
    const reply = (await UPSERT.run(
      this.#redis,
      [k.clusters, k.clusterDigests, k.clusterLabels, k.clusterCredentials, k.clusterVersion, k.clusterEvents],
      [
        record.name,
        JSON.stringify(record),
        digest,
        canonicalJson(record.labels),
        credsMode,
        blob,
        expectedDigest,
        this.#maxLen,
      ],
    )) as [string, string, string];
    if (reply[0] === "conflict") return undefined;
    const change = reply[0] as ClusterChangeType | "unchanged";
    const result = { change, labelsChanged: reply[2] === "1", version: Number(reply[1]) };
    if (change !== "unchanged") {
      this.#log.info({ cluster: record.name, change, labelsChanged: result.labelsChanged }, "cluster registry changed");
    }
    return result;
  }

  #requireKey(why: string): Buffer {
    if (this.#encryptionKey === undefined) throw missingKeyError(why);
    return this.#encryptionKey;
  }
}

/**
 * Binds a credentials blob to its cluster and the server it was registered for (see `encryptSecret`): moving the
 * blob to another record, or pointing the record at another server, makes it undecryptable. Blobs written before
 * the server was bound (AAD without it) no longer decrypt either: v1alpha1 keeps no migration, such clusters are
 * registered again with their credentials.
 */
function credentialsAad(cluster: string, server: string): string {
  return `flotilla/cluster-credentials/v2/${cluster}\0${server}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function toRegistered(json: string, seen: string | null): RegisteredCluster {
  const stored = withoutOwnership(JSON.parse(json) as StoredCluster);
  return seen === null ? stored : { ...stored, lastSeen: Number(seen) };
}

function withoutOwnership(stored: StoredCluster): Omit<StoredCluster, "labelOwnership"> {
  const { labelOwnership: _internal, ...cluster } = stored;
  return cluster;
}
