import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/** `read` sees the fleet; `admin` also changes it (registers clusters, syncs, releases holds, makes tokens). */
export type ApiScope = "read" | "admin";

/** A token as stored and listed: never its secret, which is shown once, when it is made. */
export interface ApiTokenRecord {
  name: string;
  scope: ApiScope;
  /** ISO-8601. */
  createdAt: string;
}

interface StoredToken extends ApiTokenRecord {
  /** SHA-256 of the secret, hex. A leaked store gives no usable token. */
  digest: string;
}

/** Who a bearer token is. */
export interface ApiPrincipal {
  name: string;
  scope: ApiScope;
}

/** Every token the API hands out starts so, which lets secret scanners and log redaction recognise it. */
export const API_TOKEN_PREFIX = "flt_";

// A name is made once: a second create must not replace the first token's secret behind its holder's back.
const CREATE = new LuaScript(
  `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
return 1
`,
  2,
);

const REVOKE = new LuaScript(
  `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], cjson.decode(json).digest)
return 1
`,
  2,
);

/** The API's bearer tokens, kept as SHA-256 digests. */
export class ApiTokenStore {
  readonly #redis: Redis;
  readonly #keys: Pick<StoreKeys, "apiTokens" | "apiTokenDigests">;

  constructor(redis: Redis, keys: Pick<StoreKeys, "apiTokens" | "apiTokenDigests">) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** Makes a token; returns its secret, the only time it is known. Undefined when the name is taken. */
  async create(
    input: { name: string; scope: ApiScope },
    now = new Date(),
  ): Promise<{ token: string; record: ApiTokenRecord } | undefined> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const record: ApiTokenRecord = { name: input.name, scope: input.scope, createdAt: now.toISOString() };
    const stored: StoredToken = { ...record, digest: tokenDigest(token) };
    const made = await CREATE.run(
      this.#redis,
      [this.#keys.apiTokens, this.#keys.apiTokenDigests],
      [input.name, JSON.stringify(stored), stored.digest],
    );
    return made === 1 ? { token, record } : undefined;
  }

  async list(): Promise<ApiTokenRecord[]> {
    const all = await this.#redis.hvals(this.#keys.apiTokens);
    return all
      .map((json) => publicRecord(JSON.parse(json) as StoredToken))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** True when a token of that name existed. */
  async revoke(name: string): Promise<boolean> {
    return (await REVOKE.run(this.#redis, [this.#keys.apiTokens, this.#keys.apiTokenDigests], [name])) === 1;
  }

  /** The token's holder, or undefined for a token that was never made or was revoked. */
  async authenticate(token: string): Promise<ApiPrincipal | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const digest = tokenDigest(token);
    const name = await this.#redis.hget(this.#keys.apiTokenDigests, digest);
    if (name === null) return undefined;
    const json = await this.#redis.hget(this.#keys.apiTokens, name);
    if (json === null) return undefined;
    const stored = JSON.parse(json) as StoredToken;
    // The index said so, but the record is the authority: a revoke racing this read leaves no half-valid token.
    return sameDigest(stored.digest, digest) ? { name: stored.name, scope: stored.scope } : undefined;
  }
}

export function tokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Compares two hex digests in constant time (a bootstrap token is checked without Redis, by digest). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

function publicRecord(stored: StoredToken): ApiTokenRecord {
  return { name: stored.name, scope: stored.scope, createdAt: stored.createdAt };
}
