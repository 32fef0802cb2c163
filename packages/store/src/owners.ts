import type { Redis } from "ioredis";
import { FENCE_CHECK, type FenceOption, fenceArgs, rethrowFence } from "./fence.ts";
import type { StoreKeys } from "./keys.ts";
import { LuaScript } from "./lua.ts";

/** An Application name on a cluster. */
export interface ClaimedName {
  cluster: string;
  application: string;
}

export interface ClaimOutcome {
  /** Names another ApplicationSet owns: not claimed, and that owner is untouched. */
  conflicts: (ClaimedName & { owner: string })[];
  /** Names handed over from an ApplicationSet that left Git (a rename). */
  adopted: (ClaimedName & { from: string })[];
}

/**
 * Claims every name for one ApplicationSet, all or each in one script, so two claimants cannot both win.
 * A name owned by another ApplicationSet stays its, unless that one is among the adoptable (it left Git).
 * KEYS: fence, then one owners hash per cluster. ARGV: fence, appSet, adoptable count, adoptable names…,
 * then (KEYS index, application) pairs. Returns flat triples: ("conflict" | "adopted", claim position, owner).
 */
const CLAIM = new LuaScript(
  `${FENCE_CHECK}
local appSet = ARGV[2]
local nAdopt = tonumber(ARGV[3])
local adoptable = {}
for i = 4, 3 + nAdopt do adoptable[ARGV[i]] = true end
local out = {}
local position = 0
for i = 4 + nAdopt, #ARGV, 2 do
  position = position + 1
  local key = KEYS[tonumber(ARGV[i])]
  local owner = redis.call('HGET', key, ARGV[i + 1])
  if not owner or owner == appSet then
    if not owner then redis.call('HSET', key, ARGV[i + 1], appSet) end
  elseif adoptable[owner] then
    redis.call('HSET', key, ARGV[i + 1], appSet)
    out[#out + 1] = 'adopted'; out[#out + 1] = position; out[#out + 1] = owner
  else
    out[#out + 1] = 'conflict'; out[#out + 1] = position; out[#out + 1] = owner
  end
end
return out
`,
  // The number of keys varies with the clusters; `run` is given them all.
  -1,
);

/** Gives names up, only those still owned by the ApplicationSet. Same KEYS/ARGV layout as CLAIM, no adoptable. */
const RELEASE = new LuaScript(
  `${FENCE_CHECK}
local n = 0
for i = 3, #ARGV, 2 do
  local key = KEYS[tonumber(ARGV[i])]
  if redis.call('HGET', key, ARGV[i + 1]) == ARGV[2] then n = n + redis.call('HDEL', key, ARGV[i + 1]) end
end
return n
`,
  -1,
);

/**
 * Who owns each Application name on each cluster: exactly one ApplicationSet. Objects on the cluster carry both
 * names, and only their owner's sync, prune or delete touches them.
 */
export class OwnerStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async owner(cluster: string, application: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#keys.owners(cluster), application)) ?? undefined;
  }

  /** The owner of each name, in the given order; undefined where none is recorded. */
  async owners(names: readonly ClaimedName[]): Promise<(string | undefined)[]> {
    const pipeline = this.#redis.pipeline();
    for (const n of names) pipeline.hget(this.#keys.owners(n.cluster), n.application);
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, value]) => {
      if (err) throw err;
      return (value as string | null) ?? undefined;
    });
  }

  /**
   * Claims the names for `appSet`. `adoptable`: ApplicationSets that left Git, whose names may be handed over.
   */
  async claim(
    appSet: string,
    names: readonly ClaimedName[],
    options: FenceOption & { adoptable?: readonly string[] } = {},
  ): Promise<ClaimOutcome> {
    const outcome: ClaimOutcome = { conflicts: [], adopted: [] };
    if (names.length === 0) return outcome;
    const adoptable = options.adoptable ?? [];
    const { keys, pairs } = this.#layout(names, options);
    const fenceArg = keys.fenceArg;
    let reply: unknown[];
    try {
      reply = (await CLAIM.run(this.#redis, keys.keys, [
        fenceArg,
        appSet,
        String(adoptable.length),
        ...adoptable,
        ...pairs,
      ])) as unknown[];
    } catch (err) {
      rethrowFence(err, options.fence);
    }
    for (let i = 0; i < reply.length; i += 3) {
      const name = names[Number(reply[i + 1]) - 1]!;
      const other = String(reply[i + 2]);
      if (reply[i] === "adopted") outcome.adopted.push({ ...name, from: other });
      else outcome.conflicts.push({ ...name, owner: other });
    }
    return outcome;
  }

  /** Gives the names up (their Applications were deleted or forgotten); names owned by another stay theirs. */
  async release(appSet: string, names: readonly ClaimedName[], options: FenceOption = {}): Promise<number> {
    if (names.length === 0) return 0;
    const { keys, pairs } = this.#layout(names, options);
    try {
      return (await RELEASE.run(this.#redis, keys.keys, [keys.fenceArg, appSet, ...pairs])) as number;
    } catch (err) {
      rethrowFence(err, options.fence);
    }
  }

  #layout(names: readonly ClaimedName[], options: FenceOption) {
    const clusters = [...new Set(names.map((n) => n.cluster))];
    const ownerKeys = clusters.map((c) => this.#keys.owners(c));
    const [fenceKey, fenceArg] = fenceArgs(this.#keys, options.fence, ownerKeys[0]!);
    const index = new Map(clusters.map((c, i) => [c, String(i + 2)]));
    const pairs: string[] = [];
    for (const n of names) pairs.push(index.get(n.cluster)!, n.application);
    return { keys: { keys: [fenceKey, ...ownerKeys], fenceArg }, pairs };
  }
}

/** The element error of a name another ApplicationSet owns, naming that owner and what to write instead. */
export function ownerConflictMessage(application: string, cluster: string, owner: string): string {
  return (
    `Application "${application}" on cluster "${cluster}" belongs to ApplicationSet "${owner}": one Application ` +
    `name on one cluster has one owner; give this ApplicationSet's template.metadata.name a distinct name, ` +
    `or remove the Application from "${owner}"`
  );
}
