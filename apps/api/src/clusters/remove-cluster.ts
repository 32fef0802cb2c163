import { defaultDiffPolicy } from "@flotilla/core";
import { desiredKeys, queueNameFor } from "@flotilla/queue";
import type { ClusterApplication } from "@flotilla/store";
import type { FastifyBaseLogger } from "fastify";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";

/** Per ApplicationSet: how many of its Applications the removal deletes, and whether the guard will likely hold. */
export interface AppSetRemovalImpact {
  appSet: string;
  deleting: number;
  of: number;
  /**
   * The default guard (50 %, or all of them) would hold these deletions; an ApplicationSet whose own guard
   * differs decides otherwise. The hold, when it happens, is on the cluster (`cluster get`) and the ApplicationSet.
   */
  likelyHeld: boolean;
}

export interface RemovalStarted {
  cluster: string;
  orphan: false;
  since: string;
  /** The Applications the generator deletes from the cluster (through the deletion guard). */
  applications: ClusterApplication[];
  appSets: AppSetRemovalImpact[];
  message: string;
}

export interface ClusterForgotten {
  cluster: string;
  orphan: true;
  /** The Applications forgotten; their objects stay on the cluster. */
  applications: ClusterApplication[];
  message: string;
}

/**
 * Starts a removal: the record is marked removing, so the generator's next cycle treats the cluster as absent and
 * deletes its Applications through the deletion guard; the workers delete the objects; the generator drops the
 * record (and an agent's Redis user) once nothing of it is left.
 */
export async function startRemoval(deps: ApiDeps, name: string, log: FastifyBaseLogger): Promise<RemovalStarted> {
  if ((await deps.store.clusters.get(name)) === undefined) throw notFound(`cluster "${name}"`);
  const applications = await deps.store.clusterApplications.list(name);
  const removal = await deps.store.clusters.markRemoving(name);
  const appSets = await impactOf(deps, applications);
  const held = appSets.filter((a) => a.likelyHeld);
  log.info({ applications: applications.length, likelyHeld: held.length }, "cluster removal started");
  const message =
    applications.length === 0
      ? `cluster ${name} has no Applications; it is removed at the generator's next cycle`
      : `${applications.length} Application(s) will be deleted from cluster ${name} through the deletion guard` +
        (held.length > 0
          ? `; the guard will likely hold those of ${held.map((a) => a.appSet).join(", ")} (release or dismiss the hold)`
          : "") +
        "; the cluster is removed once they are gone";
  return { cluster: name, orphan: false, since: removal.since, applications, appSets, message };
}

/**
 * Removes a cluster at once and leaves every object on it: its Applications are forgotten (stored generation
 * entries, owners, status, inventory, history, pending deletions), its queue emptied, its record and an agent's
 * Redis user deleted. Marked removing first, so a generation running meanwhile no longer sends it work.
 */
export async function forgetCluster(deps: ApiDeps, name: string, log: FastifyBaseLogger): Promise<ClusterForgotten> {
  const cluster = await deps.store.clusters.get(name);
  if (cluster === undefined) throw notFound(`cluster "${name}"`);
  await deps.store.clusters.markRemoving(name);
  const applications = await deps.store.clusterApplications.forget(name);
  const queue = deps.queues.queue(name);
  await queue.obliterate({ force: true });
  const desired = desiredKeys(deps.store.keys.queuePrefix, queueNameFor(name));
  await deps.redis.del(desired.desired, desired.seq);
  await deps.store.clusters.remove(name);
  if (cluster.mode === "agent") await deps.store.agentUsers.remove(name);
  log.info({ forgotten: applications.length }, "cluster removed; its objects were left on it");
  return {
    cluster: name,
    orphan: true,
    applications,
    message: `cluster ${name} removed; ${applications.length} Application(s) forgotten, their objects left on the cluster`,
  };
}

async function impactOf(deps: ApiDeps, applications: readonly ClusterApplication[]): Promise<AppSetRemovalImpact[]> {
  const byAppSet = new Map<string, number>();
  for (const { appSet } of applications) byAppSet.set(appSet, (byAppSet.get(appSet) ?? 0) + 1);
  const guard = defaultDiffPolicy().deletionGuard;
  const out: AppSetRemovalImpact[] = [];
  for (const [appSet, deleting] of [...byAppSet].sort(([a], [b]) => a.localeCompare(b))) {
    const of = Math.max(await deps.store.applications.count(appSet), deleting);
    const likelyHeld = deleting === of || deleting * 100 > guard.maxDeletionPercent * of;
    out.push({ appSet, deleting, of, likelyHeld });
  }
  return out;
}
