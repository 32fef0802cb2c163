import type { ClusterInfo } from "./cluster.ts";
import type { RedisInfo } from "./redis.ts";

/** Either the part of the bed is running, or why it is not (only ever outside CI: in CI the run fails instead). */
export type Availability<T> = { available: true; value: T } | { available: false; reason: string };

/** What the global setup hands to every integration test file through vitest's `provide`/`inject`. */
export interface ProvidedTestbed {
  clusters: Availability<ClusterInfo[]>;
  redis: Availability<RedisInfo>;
}

/** The inject key. */
export const testbedKey = "flotillaTestbed";

declare module "vitest" {
  export interface ProvidedContext {
    flotillaTestbed: ProvidedTestbed;
  }
}
