import type { ClusterContact, HoldRecord, RegisteredCluster } from "@flotilla/store";

/** An agent whose heartbeat is older than this (six missed beats at the default 10 s) counts as unreachable. */
export const AGENT_STALE_MS = 60_000;
/** A pool worker's contact older than this (many missed rounds) says nothing about now. */
export const CONTACT_STALE_MS = 120_000;

export type ReachabilityStatus = "Reachable" | "Unreachable" | "Unknown";

export interface Reachability {
  status: ReachabilityStatus;
  /** What it was judged from: the agent's heartbeat, or the serving pool worker's last contact. */
  source: "heartbeat" | "worker" | "none";
  /** ISO time of that heartbeat or contact. */
  at?: string;
  message?: string;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface ServedBy {
  kind: "pool-worker" | "agent";
  id: string;
}

export interface RemovalView {
  since: string;
  /** Applications still in force on it or waiting for their delete to finish. */
  remaining: number;
  /** Deletions of its Applications the deletion guard holds, by ApplicationSet: release or dismiss them. */
  held: { appSet: string; applications: string[]; reason: string }[];
}

/** A cluster as operators see it: never its credentials, only whether it has some. */
export interface ClusterView {
  name: string;
  server: string;
  mode: "pool" | "agent";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hasCredentials: boolean;
  updatedAt: string;
  reachability: Reachability;
  lastHeartbeat?: string;
  queue: QueueDepth;
  servedBy?: ServedBy;
  /** Applications in force on it. */
  applications: number;
  removing?: RemovalView;
}

/** What the store and the queues say about one cluster, read by the route; this file only judges. */
export interface ClusterFacts {
  cluster: RegisteredCluster;
  contact: ClusterContact | undefined;
  /** Live pool workers that reported holding it at their last heartbeat. */
  holders: readonly string[];
  queue: QueueDepth;
  applications: number;
  /** For a removing cluster: Applications with a status or owner left. */
  remaining: number;
  holds: readonly HoldRecord[];
  now: number;
}

export function clusterView(facts: ClusterFacts): ClusterView {
  const { cluster } = facts;
  const view: ClusterView = {
    name: cluster.name,
    server: cluster.server,
    mode: cluster.mode,
    labels: cluster.labels,
    annotations: cluster.annotations,
    hasCredentials: cluster.hasCredentials,
    updatedAt: cluster.updatedAt,
    reachability: reachabilityOf(facts),
    queue: facts.queue,
    applications: facts.applications,
  };
  if (cluster.lastSeen !== undefined) view.lastHeartbeat = new Date(cluster.lastSeen).toISOString();
  const servedBy = servedByOf(facts);
  if (servedBy !== undefined) view.servedBy = servedBy;
  if (cluster.removing !== undefined) {
    view.removing = {
      since: cluster.removing.since,
      remaining: facts.remaining,
      held: heldOn(cluster.name, facts.holds),
    };
  }
  return view;
}

/** How a cluster is reached, judged from its agent's heartbeat or its pool worker's last contact. */
export function reachabilityOf(facts: Pick<ClusterFacts, "cluster" | "contact" | "now">): Reachability {
  const { cluster, contact, now } = facts;
  if (cluster.mode === "agent") {
    if (cluster.lastSeen === undefined) {
      return { status: "Unknown", source: "none", message: "its agent has not sent a heartbeat" };
    }
    const at = new Date(cluster.lastSeen).toISOString();
    const age = now - cluster.lastSeen;
    if (age <= AGENT_STALE_MS) return { status: "Reachable", source: "heartbeat", at };
    return { status: "Unreachable", source: "heartbeat", at, message: `no heartbeat for ${seconds(age)}` };
  }
  if (contact === undefined) {
    return { status: "Unknown", source: "none", message: "no pool worker has contacted it yet" };
  }
  const at = new Date(contact.at).toISOString();
  const age = now - contact.at;
  if (age > CONTACT_STALE_MS) {
    return { status: "Unknown", source: "worker", at, message: `last contact ${seconds(age)} ago` };
  }
  if (contact.reachable) return { status: "Reachable", source: "worker", at };
  return { status: "Unreachable", source: "worker", at, message: contact.error ?? "unreachable" };
}

function servedByOf(facts: ClusterFacts): ServedBy | undefined {
  if (facts.cluster.mode === "agent") {
    const seen = facts.cluster.lastSeen;
    return seen !== undefined && facts.now - seen <= AGENT_STALE_MS
      ? { kind: "agent", id: facts.cluster.name }
      : undefined;
  }
  const holder = [...facts.holders].sort()[0];
  return holder === undefined ? undefined : { kind: "pool-worker", id: holder };
}

function heldOn(cluster: string, holds: readonly HoldRecord[]): RemovalView["held"] {
  const out: RemovalView["held"] = [];
  for (const hold of holds) {
    const applications = hold.applications.filter((a) => a.cluster === cluster).map((a) => a.application);
    if (applications.length > 0)
      out.push({ appSet: hold.appSet, applications: applications.sort(), reason: hold.reason });
  }
  return out.sort((a, b) => a.appSet.localeCompare(b.appSet));
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}
