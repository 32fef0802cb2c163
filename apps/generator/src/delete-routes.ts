import { type ApplicationDiff, type ClusterIndex, type DestinationRef, destinationOfStored } from "@flotilla/core";

export interface DeleteRoutes {
  /** The diff to act on: a delete that cannot be routed is held instead, so its Application stays in force. */
  diff: ApplicationDiff;
  /** Application name → the registered cluster whose queue its delete job goes to. */
  clusters: Map<string, string>;
}

/**
 * Where each delete goes: the cluster the Application in force was sent to (see `destinationOfStored`). One
 * whose cluster cannot be known (stored by a server URL no registered cluster has now) is not dropped and does not
 * fail the cycle: it is held, and said why, until its cluster is registered again — deleting it from the store
 * without a job would orphan its objects, and a job needs a queue, which only a cluster name gives.
 */
export function routeDeletes(
  diff: ApplicationDiff,
  stored: ReadonlyMap<string, DestinationRef>,
  clusters: ClusterIndex,
): DeleteRoutes {
  const routes = new Map<string, string>();
  const unroutable: { application: string; why: string }[] = [];
  for (const application of diff.deletes) {
    const dest = stored.get(application);
    if (dest === undefined) continue;
    const resolved = destinationOfStored(dest, clusters);
    if (resolved.ok) routes.set(application, resolved.cluster);
    else unroutable.push({ application, why: `${resolved.field}: ${resolved.message}` });
  }
  if (unroutable.length === 0) return { diff, clusters: routes };
  const held = new Set(unroutable.map((u) => u.application));
  const first = unroutable[0]!;
  const more = unroutable.length > 1 ? ` (and ${unroutable.length - 1} more)` : "";
  const reason =
    `cannot route the delete of ${unroutable.length} Application(s): "${first.application}" ${first.why}${more}; ` +
    "held until its cluster is registered again";
  return {
    diff: {
      ...diff,
      deletes: diff.deletes.filter((name) => !held.has(name)),
      held: {
        deletes: [...(diff.held?.deletes ?? []), ...held],
        reason: diff.held === undefined ? reason : `${diff.held.reason}; ${reason}`,
      },
    },
    clusters: routes,
  };
}

/** The registered cluster of each stored Application whose destination still resolves (see `destinationOfStored`). */
export function storedClusters(
  stored: ReadonlyMap<string, DestinationRef>,
  clusters: ClusterIndex,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [application, dest] of stored) {
    const resolved = destinationOfStored(dest, clusters);
    if (resolved.ok) out.set(application, resolved.cluster);
  }
  return out;
}
