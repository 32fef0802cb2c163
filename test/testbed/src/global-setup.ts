import type { TestProject } from "vitest/node";
import { isMissingRuntime, runningInCi } from "./ci.ts";
import { type ClusterSet, startClusters } from "./clusters.ts";
import { logSummary } from "./log.ts";
import { type Availability, type ProvidedTestbed, testbedKey } from "./provided.ts";
import { type StartedRedis, startRedis } from "./redis.ts";

/**
 * vitest global setup of the "integration" project: one Redis and one set of clusters (3 by default,
 * FLOTILLA_TESTBED_CLUSTERS to change) for the whole run, handed to tests through `inject("flotillaTestbed")`
 * (see ./vitest.ts for the describe helpers) and torn down at the end, or at once if starting fails.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const count = Number(process.env["FLOTILLA_TESTBED_CLUSTERS"] ?? "3");
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`FLOTILLA_TESTBED_CLUSTERS must be a whole number >= 1, not ${count}`);
  }
  const [clusters, redis] = await Promise.allSettled([startClusters({ count }), startRedis()]);
  const teardown = async (): Promise<void> => {
    await Promise.all([
      clusters.status === "fulfilled" ? clusters.value.stop() : undefined,
      redis.status === "fulfilled" ? redis.value.stop() : undefined,
    ]);
  };

  const failures = [clusters, redis].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  const fatal = failures.find((error) => !isMissingRuntime(error) || runningInCi());
  if (fatal !== undefined) {
    await teardown();
    throw fatal;
  }

  const provided: ProvidedTestbed = {
    clusters: availability(clusters, (set: ClusterSet) => set.clusters.map((c) => c.info)),
    redis: availability(redis, (r: StartedRedis) => r.info),
  };
  project.provide(testbedKey, provided);
  logSummary(describeBed(provided, clusters, performance.now() - started));
  return teardown;
}

function availability<S, T>(result: PromiseSettledResult<S>, pick: (value: S) => T): Availability<T> {
  if (result.status === "fulfilled") return { available: true, value: pick(result.value) };
  const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
  return { available: false, reason };
}

function describeBed(bed: ProvidedTestbed, clusters: PromiseSettledResult<ClusterSet>, ms: number): string {
  const parts: string[] = [];
  if (bed.clusters.available && clusters.status === "fulfilled") {
    parts.push(`${bed.clusters.value.length} clusters (${bed.clusters.value.map((c) => c.name).join(", ")})`);
  }
  if (bed.redis.available) parts.push(`Redis at ${bed.redis.value.url}`);
  let line = `${parts.join(" and ") || "nothing"} ready in ${(ms / 1000).toFixed(1)} s`;
  if (clusters.status === "fulfilled") line += `; logs in ${clusters.value.runDir}`;
  for (const [what, part] of Object.entries(bed)) {
    if (!part.available) {
      line += `\n\n!!!!! TESTBED: ${what} UNAVAILABLE, its integration tests are SKIPPED (they fail when CI=true) !!!!!\n${part.reason}\n`;
    }
  }
  return line;
}
