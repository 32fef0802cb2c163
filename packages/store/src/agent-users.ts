import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { ClusterNotFoundError } from "./errors/cluster-not-found-error.ts";
import type { StoreKeys } from "./keys.ts";

/**
 * The keys of an agent's own work that live outside the store (its queue, its status and history), as Redis ACL
 * glob patterns. The packages that own those layouts say what they are; the store adds its own.
 */
export interface AgentReach {
  /** Key patterns the agent reads and writes: only keys of its own cluster. */
  own: readonly string[];
  /**
   * Keys the agent may write and not read (Redis 7 `%W~`): fleet-wide streams it appends its own events to, whose
   * other entries name other clusters' Applications.
   */
  writeOnly?: readonly string[];
}

/** Returned once, at creation or rotation: Redis keeps only a hash of the password. */
export interface AgentIdentity {
  user: string;
  password: string;
  /** The ACL rules the user was given, for an operator to inspect (they hold no secret). */
  rules: readonly string[];
}

/**
 * What every agent may run: everything but administration and dangerous commands (CONFIG, KEYS, FLUSHALL, DEBUG,
 * ACL…). INFO is dangerous to Redis but harmless here, and both ioredis's ready check and BullMQ's version check
 * need it; CLIENT SETNAME lets BullMQ name its connections.
 */
const COMMAND_RULES = ["-@all", "+@all", "-@admin", "-@dangerous", "+info", "+client|setname", "+client|getname"];

/**
 * Per-agent Redis users (Redis ≥ 7 key permissions), so that an agent's Redis identity reaches its own cluster's
 * work only: read and write on its queue, its status, inventory and history and its heartbeat; read-only on what
 * it shares with the fleet (the cluster records, which hold no secrets; the Applications it re-syncs; rendered
 * bundles); nothing else (no other cluster's queue, no credentials, no registry writes, no Pub/Sub channels).
 * An agent with such a user cannot register itself: its cluster is registered (mode agent) first, then the user
 * is created here.
 */
export class AgentUsers {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  readonly #prefix: string;

  constructor(redis: Redis, keys: StoreKeys, prefix: string) {
    this.#redis = redis;
    this.#keys = keys;
    this.#prefix = prefix;
  }

  /** The Redis user name of a cluster's agent; no ':' in it, so it fits a redis:// URL's user part as it is. */
  userOf(cluster: string): string {
    return `${this.#prefix.replace(/[^A-Za-z0-9.-]/g, "-")}agent.${cluster}`;
  }

  /** The rules an agent's user gets (no password among them). */
  rulesFor(cluster: string, reach: AgentReach): string[] {
    const k = this.#keys;
    // Pending deletions: its failed deletes, which its sweep retries. Holds: a removed ApplicationSet is frozen.
    const writable = [k.clusterHeartbeat(cluster), k.pendingDeletions(cluster), ...reach.own];
    const readable = [k.clusters, k.bundle("*"), k.appSpecs("*"), k.appSources("*"), k.appDesiredDigests("*"), k.holds];
    const writeOnly = reach.writeOnly ?? [];
    for (const pattern of [...writable, ...readable, ...writeOnly]) assertPattern(pattern);
    return [
      "resetkeys",
      "resetchannels",
      ...COMMAND_RULES,
      ...writable.map((pattern) => `~${pattern}`),
      ...readable.map((pattern) => `%R~${pattern}`),
      ...writeOnly.map((pattern) => `%W~${pattern}`),
    ];
  }

  /**
   * Creates the agent's user, or replaces it (rotation): every earlier password stops working. The cluster must be
   * registered in agent mode. Returns the new password; it is not stored anywhere, so keep it now.
   */
  async create(cluster: string, reach: AgentReach): Promise<AgentIdentity> {
    const record = await this.#redis.hget(this.#keys.clusters, cluster);
    if (record === null) throw new ClusterNotFoundError(cluster);
    if ((JSON.parse(record) as { mode?: string }).mode !== "agent") {
      throw new Error(`cluster ${cluster} is not registered in agent mode; only an agent gets its own Redis user`);
    }
    const user = this.userOf(cluster);
    const password = randomBytes(32).toString("base64url");
    const rules = this.rulesFor(cluster, reach);
    // `#<sha256>` rather than `><password>`: the plain password never appears in a command Redis could log.
    const hash = createHash("sha256").update(password).digest("hex");
    await this.#redis.call("ACL", "SETUSER", user, "reset", "on", `#${hash}`, ...rules);
    // `reset` does not end connections already authenticated with an old password; these do.
    await this.#redis.call("CLIENT", "KILL", "USER", user).catch(() => undefined);
    return { user, password, rules };
  }

  /** Same as `create`: a new password, the old one refused from now on. */
  rotate(cluster: string, reach: AgentReach): Promise<AgentIdentity> {
    return this.create(cluster, reach);
  }

  /** Deletes the agent's user (Redis closes its connections). True when there was one. */
  async remove(cluster: string): Promise<boolean> {
    return Number(await this.#redis.call("ACL", "DELUSER", this.userOf(cluster))) > 0;
  }
}

/** A pattern ACL rules could misread (spaces split rules) is a bug in whoever built it, not user input. */
function assertPattern(pattern: string): void {
  if (/\s/.test(pattern) || pattern === "") throw new RangeError(`invalid ACL key pattern ${JSON.stringify(pattern)}`);
}
