import type { HealthStatus } from "@flotilla/kube";
import { type StoreKeys, storeKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import { fieldOf } from "./app-ref.ts";
import { MATRIX_HEALTHS, MATRIX_SYNCS, type MatrixApplication, type MatrixSync } from "./fleet-matrix.ts";
import type { AppVerdict, StatusStore } from "./status-store.ts";

const SYNCS = new Set<string>(MATRIX_SYNCS);
const HEALTHS = new Set<string>(MATRIX_HEALTHS);

/**
 * One cluster's Applications for the matrix: every verdict a worker wrote, plus every name an ApplicationSet owns
 * there that has no status yet (sync and health Unknown: generated, not synced). A verdict this model would not
 * write reads as Unknown rather than being dropped, so the cell still shows that something is there.
 */
export function matrixApplicationsOf(
  verdicts: readonly Pick<AppVerdict, "appSet" | "application" | "sync" | "health">[],
  owners: Readonly<Record<string, string>>,
): MatrixApplication[] {
  const out: MatrixApplication[] = [];
  const seen = new Set<string>();
  for (const v of verdicts) {
    seen.add(fieldOf(v));
    out.push({
      appSet: v.appSet,
      application: v.application,
      sync: SYNCS.has(v.sync) ? (v.sync as MatrixSync) : "Unknown",
      health: HEALTHS.has(v.health) ? (v.health as HealthStatus) : "Unknown",
    });
  }
  for (const [application, appSet] of Object.entries(owners)) {
    if (appSet === "" || seen.has(fieldOf({ appSet, application }))) continue;
    out.push({ appSet, application, sync: "Unknown", health: "Unknown" });
  }
  return out;
}

export interface MatrixReadDeps {
  redis: Redis;
  /** The store's key prefix. */
  prefix: string;
  status: Pick<StatusStore, "verdicts">;
}

/**
 * Every Application on each of `clusters` for the matrix, in their order: the verdict hashes (StatusStore's one
 * pipeline) and the owner hashes (one more) read at the same time, so a thousand clusters cost two round trips,
 * and no status document is parsed.
 */
export async function readMatrixApplications(
  deps: MatrixReadDeps,
  clusters: readonly string[],
): Promise<MatrixApplication[][]> {
  if (clusters.length === 0) return [];
  const keys: StoreKeys = storeKeys(deps.prefix);
  const pipeline = deps.redis.pipeline();
  for (const c of clusters) pipeline.hgetall(keys.owners(c));
  const [verdicts, ownerReplies] = await Promise.all([deps.status.verdicts(clusters), pipeline.exec()]);
  const byCluster = new Map<string, AppVerdict[]>();
  for (const v of verdicts) (byCluster.get(v.cluster) ?? byCluster.set(v.cluster, []).get(v.cluster)!).push(v);
  return clusters.map((cluster, i) => {
    const [err, owners] = ownerReplies?.[i] ?? [];
    if (err) throw err;
    return matrixApplicationsOf(byCluster.get(cluster) ?? [], (owners ?? {}) as Record<string, string>);
  });
}
