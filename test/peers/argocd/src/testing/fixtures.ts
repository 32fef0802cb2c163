import type { ClusterInfo, RedisInfo } from "@flotilla/testbed";
import type { ArgoCdCluster } from "../manifests.ts";
import type { RedisTarget } from "../redis-db.ts";

/** Argo CD's database on the bed's Redis: one no Flotilla test uses (they stay on 0). */
export const argoCdRedisDb = 7;

export function redisTarget(redis: Pick<RedisInfo, "host" | "port">, db = argoCdRedisDb): RedisTarget {
  return { host: redis.host, port: redis.port, db };
}

/** A test-bed cluster as an Argo CD destination. */
export function asArgoCdCluster(
  cluster: ClusterInfo,
  extra: Pick<ArgoCdCluster, "labels" | "annotations"> = {},
): ArgoCdCluster {
  return { name: cluster.name, server: cluster.apiUrl, caPem: cluster.caPem, token: cluster.token, ...extra };
}
