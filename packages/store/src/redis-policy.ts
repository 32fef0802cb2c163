import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { RedisPolicyError } from "./errors/redis-policy-error.ts";

/** The environment variable both services read to skip the check (for a managed Redis that refuses CONFIG). */
export const SKIP_POLICY_CHECK_ENV = "FLOTILLA_REDIS_SKIP_POLICY_CHECK";

export interface EvictionPolicyCheckOptions {
  /** Trust the operator that the policy is `noeviction` without asking Redis. @defaultValue false */
  skip?: boolean;
  log?: Logger;
}

/**
 * Refuses a Redis that may evict keys. BullMQ requires `noeviction`: under memory pressure an evicting Redis drops
 * job locks, desired-state records and inventories, and a job then completes as "already applied" without
 * applying. Every service that writes state runs this before anything else touches Redis.
 */
export async function checkEvictionPolicy(redis: Redis, options: EvictionPolicyCheckOptions = {}): Promise<void> {
  if (options.skip === true) {
    options.log?.warn(
      { check: "maxmemory-policy", flag: SKIP_POLICY_CHECK_ENV },
      "Redis eviction policy not checked; it must be noeviction",
    );
    return;
  }
  let policy: string | undefined;
  try {
    const reply = (await redis.call("CONFIG", "GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch (err) {
    throw new RedisPolicyError(
      "config-refused",
      `cannot read Redis maxmemory-policy: CONFIG GET was refused (${(err as Error).message}). ` +
        `Flotilla needs maxmemory-policy noeviction. On a managed Redis that hides CONFIG, set it in the provider's ` +
        `settings and start with ${SKIP_POLICY_CHECK_ENV}=true`,
    );
  }
  if (policy !== "noeviction") {
    throw new RedisPolicyError(
      "eviction",
      `Redis maxmemory-policy is "${policy ?? "unknown"}"; Flotilla (BullMQ) needs "noeviction", or queued work and ` +
        `state can be evicted and lost. Run CONFIG SET maxmemory-policy noeviction and set it in redis.conf ` +
        `(maxmemory-policy noeviction) so that it survives a restart`,
    );
  }
}
