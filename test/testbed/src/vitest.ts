import { describe, inject, it } from "vitest";
import { runningInCi } from "./ci.ts";
import type { ClusterInfo } from "./cluster.ts";
import { type Availability, testbedKey } from "./provided.ts";
import type { RedisInfo } from "./redis.ts";

export type { ProvidedTestbed } from "./provided.ts";

/**
 * Test-side helpers: describe blocks that receive the bed started by the global setup. When part of the bed is
 * unavailable (only possible outside CI) the block is skipped under a name that says why; in CI it throws.
 */
function describeWith<T>(part: Availability<T> | undefined, name: string, body: (value: T) => void): void {
  if (part?.available) {
    describe(name, () => body(part.value));
    return;
  }
  const reason = part?.reason ?? "the integration global setup (test/testbed/src/global-setup.ts) did not run";
  if (runningInCi()) throw new Error(`${name}: test bed unavailable in CI: ${reason}`);
  describe.skip(name, () => {
    it(`SKIPPED, test bed unavailable: ${reason}`, () => {});
  });
}

function provided() {
  return inject(testbedKey);
}

/** A describe block given every cluster the global setup started. */
export function describeWithClusters(name: string, body: (clusters: ClusterInfo[]) => void): void {
  describeWith(provided()?.clusters, name, body);
}

/** A describe block given the run's Redis. */
export function describeWithRedis(name: string, body: (redis: RedisInfo) => void): void {
  describeWith(provided()?.redis, name, body);
}

/** The clusters, or throws (in a beforeAll, say) when they are unavailable. */
export function testbedClusters(): ClusterInfo[] {
  const part = provided()?.clusters;
  if (!part?.available) throw new Error(`test bed clusters unavailable: ${part?.reason ?? "global setup did not run"}`);
  return part.value;
}

/** The run's Redis, or throws when it is unavailable. */
export function testbedRedis(): RedisInfo {
  const part = provided()?.redis;
  if (!part?.available) throw new Error(`test bed Redis unavailable: ${part?.reason ?? "global setup did not run"}`);
  return part.value;
}
