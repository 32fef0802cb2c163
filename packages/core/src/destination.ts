import type { Cluster } from "./cluster.ts";
import { clusterNameProblem } from "./names.ts";

/** Where an Application says it goes: a registered cluster's name, its API server URL, or both. */
export interface DestinationRef {
  cluster?: string | undefined;
  server?: string | undefined;
}

/** The registered clusters, indexed both ways an Application may address one. */
export interface ClusterIndex {
  readonly byName: ReadonlyMap<string, Cluster>;
  /** Normalized server URL → the clusters registered with it (more than one is ambiguous). */
  readonly byServer: ReadonlyMap<string, readonly Cluster[]>;
}

export type DestinationField = "spec.destination.cluster" | "spec.destination.server";

/** A destination resolved to the registered cluster's name, or why it cannot be, on the field at fault. */
export type ResolvedDestination =
  | { ok: true; cluster: string }
  | { ok: false; field: DestinationField; message: string };

export function indexClusters(clusters: readonly Cluster[]): ClusterIndex {
  const byName = new Map<string, Cluster>();
  const byServer = new Map<string, Cluster[]>();
  for (const cluster of clusters) {
    byName.set(cluster.name, cluster);
    const key = normalizeServer(cluster.server);
    byServer.set(key, [...(byServer.get(key) ?? []), cluster]);
  }
  return { byName, byServer };
}

/**
 * Server URLs are compared as written but for trailing '/', which Argo CD users write both ways
 * (`https://10.0.0.1:6443/`); anything else (scheme, host, port, path) must match the registration.
 */
export function normalizeServer(server: string): string {
  return server.replace(/\/+$/, "");
}

/**
 * The one destination contract: a registered cluster name, or the server URL of exactly one registered cluster,
 * becomes that cluster's name, which every queue name, store key and history entry uses. Given both, they must
 * name the same cluster. An empty string counts as not given, as in Argo CD (`name: ""` beside a `server`).
 */
export function resolveDestination(dest: DestinationRef, index: ClusterIndex): ResolvedDestination {
  const name = dest.cluster === "" ? undefined : dest.cluster;
  const server = dest.server === "" ? undefined : dest.server;
  if (name !== undefined) {
    const cluster = index.byName.get(name);
    if (cluster === undefined) {
      return fail("spec.destination.cluster", `"${name}" is not a registered cluster`);
    }
    if (server !== undefined && normalizeServer(server) !== normalizeServer(cluster.server)) {
      return fail(
        "spec.destination.server",
        `"${server}" is not the server of cluster "${name}" (registered with "${cluster.server}"); ` +
          "give destination.cluster or destination.server alone, or make them agree",
      );
    }
    return { ok: true, cluster: cluster.name };
  }
  if (server === undefined) {
    return fail(
      "spec.destination.cluster",
      "expected destination.cluster (a registered cluster name) or destination.server",
    );
  }
  const matches = index.byServer.get(normalizeServer(server)) ?? [];
  if (matches.length === 0) {
    return fail("spec.destination.server", `"${server}" is not the server of any registered cluster`);
  }
  if (matches.length > 1) {
    const names = matches.map((c) => `"${c.name}"`).join(" and ");
    return fail(
      "spec.destination.server",
      `"${server}" is the server of clusters ${names}; address the Application by destination.cluster instead`,
    );
  }
  return { ok: true, cluster: matches[0]!.name };
}

/**
 * The cluster an Application in force was sent to. The generator records the resolved name in
 * `destination.cluster`, so that name stands even after its cluster left the registry (its delete must still
 * reach that queue); only an Application stored without one (before names were recorded) is resolved by server.
 */
export function destinationOfStored(dest: DestinationRef, index: ClusterIndex): ResolvedDestination {
  if (dest.cluster === undefined || dest.cluster === "") return resolveDestination(dest, index);
  const problem = clusterNameProblem(dest.cluster);
  if (problem !== undefined) return fail("spec.destination.cluster", `"${dest.cluster}" ${problem}`);
  return { ok: true, cluster: dest.cluster };
}

function fail(field: DestinationField, message: string): ResolvedDestination {
  return { ok: false, field, message };
}
