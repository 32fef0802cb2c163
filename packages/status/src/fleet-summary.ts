import type { HealthStatus } from "@flotilla/kube";
import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion, RegisteredCluster } from "@flotilla/store";
import { type AppSummary, appSummaryOf, isUnwell } from "./app-summary.ts";
import {
  type PoolWorker,
  REACHABILITIES,
  type Reachability,
  reachabilityOf,
  servedClusters,
} from "./cluster-reachability.ts";
import type { AppVerdict } from "./status-store.ts";
import type { AppStatus, SyncStatus } from "./types.ts";

/** The key of an Application on a cluster in `FleetState.details`. */
export const appKey = (a: Pick<AppStatus, "cluster" | "appSet" | "application">): string =>
  `${a.cluster}\u0000${a.appSet}/${a.application}`;

/** Full statuses as both the verdicts and the details of a fleet state (when they were read whole anyway). */
export function applicationsOf(statuses: readonly AppStatus[]): Pick<FleetState, "applications" | "details"> {
  return { applications: statuses, details: new Map(statuses.map((s) => [appKey(s), s])) };
}

/**
 * The unwell Applications the summary lists (Error, OutOfSync or Degraded, within the filters, by name, the first
 * `limit`): the reader fetches their full statuses, and only theirs, for `FleetState.details`.
 */
export function listedUnwell(applications: readonly AppVerdict[], options: FleetSummaryOptions = {}): AppVerdict[] {
  return unwellOf(applications, options).slice(0, options.limit ?? DEFAULT_SUMMARY_LIMIT);
}

function unwellOf(applications: readonly AppVerdict[], options: FleetSummaryOptions): AppVerdict[] {
  const chosen = new Set(options.clusters ?? []);
  return applications
    .filter(
      (a) =>
        (chosen.size === 0 || chosen.has(a.cluster)) &&
        (options.appSet === undefined || options.appSet === a.appSet) &&
        isUnwell(a),
    )
    .sort(byAppThenCluster);
}

/** What the fleet summary is computed from: everything the store and the workers recorded, as read. */
export interface FleetState {
  /** Epoch ms the state was read at; heartbeats are judged against it. */
  now: number;
  clusters: readonly RegisteredCluster[];
  /** The verdicts of every Application on the clusters asked for (all of them when none was). */
  applications: readonly AppVerdict[];
  /** The full statuses of (at least) the unwell Applications listed (`listedUnwell`), by `appKey`. */
  details: ReadonlyMap<string, AppStatus>;
  pendingDeletions: readonly PendingDeletion[];
  lostClusters: readonly LostCluster[];
  generations: readonly GenerationRecord[];
  holds: readonly HoldRecord[];
  poolWorkers: readonly PoolWorker[];
}

export interface FleetSummaryOptions {
  /** Only these clusters (every registered one when empty). @defaultValue [] */
  clusters?: readonly string[];
  /** Only this ApplicationSet. */
  appSet?: string;
  /** Unwell Applications listed; the count is always exact. @defaultValue 100 */
  limit?: number;
  /** An agent heartbeat older than this is stale. @defaultValue 60 s (six missed beats of the default 10 s) */
  heartbeatStaleMs?: number;
  /** A pool worker whose heartbeat is older than this holds nothing. @defaultValue 30 s (twice the default lease TTL) */
  poolWorkerTtlMs?: number;
}

export const DEFAULT_SUMMARY_LIMIT = 100;
export const DEFAULT_HEARTBEAT_STALE_MS = 60_000;
export const DEFAULT_POOL_WORKER_TTL_MS = 30_000;

export interface ClusterProblem {
  name: string;
  server: string;
  mode: "pool" | "agent";
  reachability: Reachability;
  /** ISO-8601 of the agent's last heartbeat, when there was one. */
  lastSeen?: string;
}

/** The fleet at a glance, then everything that needs a person, each list narrowed by the filters it can be. */
export interface FleetSummary {
  /** True when nothing below needs attention: `flotilla status` exits 0 then. */
  well: boolean;
  applications: {
    total: number;
    sync: Record<SyncStatus, number>;
    health: Record<HealthStatus, number>;
  };
  clusters: { total: number; reachability: Record<Reachability, number> };
  problems: {
    /** Applications in Error, OutOfSync or Degraded: `count` is exact, `items` the first `limit` by name. */
    applications: { count: number; items: AppSummary[] };
    /** ApplicationSets whose last generation failed or had element errors. */
    generations: GenerationRecord[];
    /** Deletions the guard holds until an operator releases or dismisses them. */
    holds: HoldRecord[];
    /** Deletes that failed and are retried until done or abandoned. */
    pendingDeletions: PendingDeletion[];
    /** Pool clusters whose record and credentials Redis lost. */
    lostClusters: LostCluster[];
    /** Pool clusters no live pool worker holds. */
    unservedClusters: ClusterProblem[];
    /** Agent clusters whose agent's heartbeat stopped (or never came). */
    staleAgents: ClusterProblem[];
  };
}

const SYNCS: readonly SyncStatus[] = ["Synced", "OutOfSync", "Error"];
const HEALTHS: readonly HealthStatus[] = ["Healthy", "Progressing", "Degraded", "Missing", "Unknown"];
const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
function byAppThenCluster(a: AppRefLike, b: AppRefLike): number {
  return (
    a.application.localeCompare(b.application) || a.cluster.localeCompare(b.cluster) || a.appSet.localeCompare(b.appSet)
  );
}
type AppRefLike = { appSet: string; application: string; cluster: string };

/**
 * The fleet summary `GET /api/v1/status` answers and `flotilla status` prints. `clusters` narrows what is
 * attributed to a cluster (Applications, deletions, cluster problems); `appSet` what is attributed to an
 * ApplicationSet (Applications, deletions, generations, holds). A lost cluster belongs to no ApplicationSet we can
 * name, a generation record to no cluster: each stays unless the filter it can be judged by excludes it.
 */
export function fleetSummary(state: FleetState, options: FleetSummaryOptions = {}): FleetSummary {
  const chosen = new Set(options.clusters ?? []);
  const inClusters = (name: string) => chosen.size === 0 || chosen.has(name);
  const inAppSet = (appSet: string) => options.appSet === undefined || options.appSet === appSet;
  const limit = options.limit ?? DEFAULT_SUMMARY_LIMIT;

  const sync = zeros(SYNCS);
  const health = zeros(HEALTHS);
  let total = 0;
  for (const s of state.applications) {
    if (!inClusters(s.cluster) || !inAppSet(s.appSet)) continue;
    total++;
    sync[s.sync] = (sync[s.sync] ?? 0) + 1;
    health[s.health] = (health[s.health] ?? 0) + 1;
  }
  const unwell = unwellOf(state.applications, options);
  // A status that went between the two reads is left out of the list; the count is of what was counted.
  const items = unwell.slice(0, limit).flatMap((a) => {
    const detail = state.details.get(appKey(a));
    return detail === undefined ? [] : [appSummaryOf(detail)];
  });

  const served = servedClusters(state.poolWorkers, state.now, options.poolWorkerTtlMs ?? DEFAULT_POOL_WORKER_TTL_MS);
  const reachability = zeros(REACHABILITIES);
  const unserved: ClusterProblem[] = [];
  const stale: ClusterProblem[] = [];
  const clusters = state.clusters.filter((c) => inClusters(c.name));
  for (const c of clusters) {
    const r = reachabilityOf(c, {
      now: state.now,
      heartbeatStaleMs: options.heartbeatStaleMs ?? DEFAULT_HEARTBEAT_STALE_MS,
      served,
    });
    reachability[r]++;
    if (r === "Connected") continue;
    const problem: ClusterProblem = {
      name: c.name,
      server: c.server,
      mode: c.mode,
      reachability: r,
      ...(c.lastSeen !== undefined && { lastSeen: new Date(c.lastSeen).toISOString() }),
    };
    (r === "Unserved" ? unserved : stale).push(problem);
  }

  const problems: FleetSummary["problems"] = {
    applications: { count: unwell.length, items },
    generations: state.generations.filter((g) => inAppSet(g.appSet) && generationNeedsAttention(g)),
    holds: state.holds.filter((h) => inAppSet(h.appSet)),
    pendingDeletions: state.pendingDeletions
      .filter((d) => inClusters(d.cluster) && inAppSet(d.appSet))
      .sort(byAppThenCluster),
    lostClusters: state.lostClusters.filter((c) => inClusters(c.name)),
    unservedClusters: unserved,
    staleAgents: stale,
  };
  const well =
    problems.applications.count === 0 &&
    problems.generations.length === 0 &&
    problems.holds.length === 0 &&
    problems.pendingDeletions.length === 0 &&
    problems.lostClusters.length === 0 &&
    unserved.length === 0 &&
    stale.length === 0;
  return { well, applications: { total, sync, health }, clusters: { total: clusters.length, reachability }, problems };
}

/**
 * A generation that failed or left elements out has not made the fleet what Git says. (What it held back is in
 * the hold records, which say since when and can be released.)
 */
export function generationNeedsAttention(record: GenerationRecord): boolean {
  return record.generatorError !== undefined || record.counts.errors > 0;
}
