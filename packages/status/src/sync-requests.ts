import { randomUUID } from "node:crypto";
import { LuaScript } from "@flotilla/store";
import type { Redis } from "ioredis";
import { type AppRef, fieldOf } from "./app-ref.ts";

/** An operator's request to sync an Application whose policy is manual (no `syncPolicy.automated`). */
export interface SyncRequest {
  /** Tells two requests apart, so that honouring one never removes a newer one. */
  id: string;
  /** Delete what left Git in the same sync (Argo CD's `argocd app sync --prune`). */
  prune: boolean;
  /** ISO-8601. */
  at: string;
}

// Removes the request only if it is still the one honoured: a request made during the sync stays for the next.
const SETTLE = new LuaScript(
  `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
`,
  1,
);

/**
 * Pending sync requests, one per Application and cluster, kept apart from the queue's desired state: a commit that
 * arrives between the request and its sync replaces the job's state ("latest wins"), and must not drop the request.
 * A request stays until a sync honours it (applied, or failed for a reason retrying cannot fix).
 */
export class SyncRequests {
  readonly #redis: Redis;
  readonly #key: (cluster: string) => string;

  constructor(redis: Redis, key: (cluster: string) => string) {
    this.#redis = redis;
    this.#key = key;
  }

  /** Records a request (replacing an older one for the same Application); the caller enqueues the sync. */
  async request(ref: AppRef, options: { prune?: boolean } = {}, now = new Date()): Promise<SyncRequest> {
    const request: SyncRequest = { id: randomUUID(), prune: options.prune === true, at: now.toISOString() };
    await this.#redis.hset(this.#key(ref.cluster), fieldOf(ref), JSON.stringify(request));
    return request;
  }

  async pending(ref: AppRef): Promise<SyncRequest | undefined> {
    const json = await this.#redis.hget(this.#key(ref.cluster), fieldOf(ref));
    return json === null ? undefined : (JSON.parse(json) as SyncRequest);
  }

  /** The request was honoured; true when it was still the latest. */
  async settle(ref: AppRef, request: SyncRequest): Promise<boolean> {
    return (await SETTLE.run(this.#redis, [this.#key(ref.cluster)], [fieldOf(ref), JSON.stringify(request)])) === 1;
  }
}
