import type { Application, ApplicationDiff } from "@flotilla/core";
import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/**
 * Applies a whole diff in one script: readers see the previous generation or the next, never a mix, and a stale
 * fence writes nothing. Field/value pairs go to HSET in slices because Lua's unpack has a stack limit.
 * KEYS: fence, desired digests, specs, sources. ARGV: fence, upsert count, (name, desired digest, json, source json
 * or "") × count, names to delete…
 */
const COMMIT = new LuaScript(
  `${FENCE_CHECK}
local n = tonumber(ARGV[2])
local slice = 256
local i = 3
local last = 2 + 4 * n
while i <= last do
  local h, s, src, nosrc = {}, {}, {}, {}
  local stop = math.min(last, i + 4 * slice - 1)
  while i <= stop do
    h[#h + 1] = ARGV[i]; h[#h + 1] = ARGV[i + 1]
    s[#s + 1] = ARGV[i]; s[#s + 1] = ARGV[i + 2]
    if ARGV[i + 3] == '' then nosrc[#nosrc + 1] = ARGV[i]
    else src[#src + 1] = ARGV[i]; src[#src + 1] = ARGV[i + 3] end
    i = i + 4
  end
  redis.call('HSET', KEYS[2], unpack(h))
  redis.call('HSET', KEYS[3], unpack(s))
  if #src > 0 then redis.call('HSET', KEYS[4], unpack(src)) end
  if #nosrc > 0 then redis.call('HDEL', KEYS[4], unpack(nosrc)) end
end
while i <= #ARGV do
  local d = {}
  local stop = math.min(#ARGV, i + slice - 1)
  while i <= stop do d[#d + 1] = ARGV[i]; i = i + 1 end
  redis.call('HDEL', KEYS[2], unpack(d))
  redis.call('HDEL', KEYS[3], unpack(d))
  redis.call('HDEL', KEYS[4], unpack(d))
end
return n
`,
  4,
);

export interface CommitResult {
  written: number;
  deleted: number;
}

/**
 * The Applications each ApplicationSet generated, with their desired digests. The digests live apart from the specs so that
 * the generator's diff reads a few bytes per Application, not whole documents.
 */
export class ApplicationStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** Application name → desired digest: the "previous generation" input of `diffGenerations`. */
  async desiredDigests(appSet: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.#redis.hgetall(this.#keys.appDesiredDigests(appSet))));
  }

  async get(appSet: string, name: string): Promise<Application | undefined> {
    const json = await this.#redis.hget(this.#keys.appSpecs(appSet), name);
    return json === null ? undefined : (JSON.parse(json) as Application);
  }

  /** The named Applications in the given order; undefined where one does not exist. */
  async getMany(appSet: string, names: readonly string[]): Promise<(Application | undefined)[]> {
    if (names.length === 0) return [];
    const values = await this.#redis.hmget(this.#keys.appSpecs(appSet), ...names);
    return values.map((json) => (json === null ? undefined : (JSON.parse(json) as Application)));
  }

  /**
   * The rendered source stored with each named Application, in the given order (see `commit`'s `sources`);
   * undefined where there is none. Opaque JSON here: the queue package owns its shape.
   */
  async sources(appSet: string, names: readonly string[]): Promise<(unknown | undefined)[]> {
    if (names.length === 0) return [];
    const values = await this.#redis.hmget(this.#keys.appSources(appSet), ...names);
    return values.map((json) => (json === null ? undefined : (JSON.parse(json) as unknown)));
  }

  async count(appSet: string): Promise<number> {
    return await this.#redis.hlen(this.#keys.appDesiredDigests(appSet));
  }

  /**
   * Writes the diff's creates and updates and removes its deletes, atomically. Held deletions and unchanged
   * Applications are left as they are: they stay in force. `sources` gives the rendered source of upserted
   * Applications (by name), kept beside the spec so that a periodic re-sync names the same bundle the last job did.
   */
  async commit(
    appSet: string,
    diff: ApplicationDiff,
    options: FenceOption & { sources?: ReadonlyMap<string, unknown> } = {},
  ): Promise<CommitResult> {
    const upserts = [...diff.creates, ...diff.updates];
    const args: string[] = new Array(2 + upserts.length * 4 + diff.deletes.length);
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, this.#keys.appDesiredDigests(appSet));
    args[0] = fenceArg;
    args[1] = String(upserts.length);
    let i = 2;
    for (const { application, desiredDigest } of upserts) {
      args[i++] = application.metadata.name;
      args[i++] = desiredDigest;
      args[i++] = JSON.stringify(application);
      const source = options.sources?.get(application.metadata.name);
      args[i++] = source === undefined ? "" : JSON.stringify(source);
    }
    for (const name of diff.deletes) args[i++] = name;
    const keys = [
      fenceKey,
      this.#keys.appDesiredDigests(appSet),
      this.#keys.appSpecs(appSet),
      this.#keys.appSources(appSet),
    ];
    try {
      await COMMIT.run(this.#redis, keys, args);
    } catch (err) {
      rethrowFence(err, options.fence);
    }
    return { written: upserts.length, deleted: diff.deletes.length };
  }
}
