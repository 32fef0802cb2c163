import type { AppSummary, ClusterProblem, FleetSummary } from "@flotilla/status";
import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion } from "@flotilla/store";
import { describeElementError } from "./element-error.ts";
import { plainTable } from "./table.ts";

const short = (text: string | undefined, n: number): string => (text === undefined ? "" : text.slice(0, n));
const isoTime = (iso: string): string => iso.replace("T", " ").slice(0, 19);
const msTime = (ms: number): string => isoTime(new Date(ms).toISOString());

/**
 * `flotilla status` as a person reads it: two count lines, then one section per kind of problem, each a
 * kubectl-style table; "all is well" when there is none.
 */
export function fleetSummaryText(summary: FleetSummary): string {
  const { applications: a, clusters: c, problems: p } = summary;
  const parts = [
    `${a.total} Applications: ${a.sync.Synced} Synced, ${a.sync.OutOfSync} OutOfSync, ${a.sync.Error} Error; ` +
      `${a.health.Healthy} Healthy, ${a.health.Progressing} Progressing, ${a.health.Degraded} Degraded, ` +
      `${a.health.Missing} Missing, ${a.health.Unknown} Unknown\n` +
      `${c.total} clusters: ${c.reachability.Connected} Connected, ${c.reachability.HeartbeatStale} HeartbeatStale, ` +
      `${c.reachability.NeverSeen} NeverSeen, ${c.reachability.Unserved} Unserved\n`,
  ];
  const section = (title: string, table: string) => parts.push(`\n${title}\n${table}\n`);
  if (p.applications.count > 0) {
    const more = p.applications.count - p.applications.items.length;
    section(
      `${p.applications.count} Application(s) in Error, OutOfSync or Degraded:`,
      appTable(p.applications.items) + (more > 0 ? `\n… and ${more} more (raise --limit to list them)` : ""),
    );
  }
  if (p.generations.length > 0) {
    section(
      `${p.generations.length} ApplicationSet(s) whose last generation did not do all that Git asks:`,
      generationTable(p.generations),
    );
  }
  if (p.holds.length > 0) parts.push(`\n${heldText(p.holds)}`);
  if (p.pendingDeletions.length > 0) {
    section(
      `${p.pendingDeletions.length} pending deletion(s), retried until done or abandoned:`,
      pendingTable(p.pendingDeletions),
    );
  }
  if (p.lostClusters.length > 0) {
    section(
      `${p.lostClusters.length} pool cluster(s) lost with the Redis data: no worker serves them and their objects ` +
        "stay as they are; register each again with its credentials, under the same name and server:",
      lostTable(p.lostClusters),
    );
  }
  if (p.unservedClusters.length > 0) {
    section(
      `${p.unservedClusters.length} pool cluster(s) no live pool worker serves: nothing syncs them until one does:`,
      clusterTable(p.unservedClusters),
    );
  }
  if (p.staleAgents.length > 0) {
    section(
      `${p.staleAgents.length} agent cluster(s) whose agent's heartbeat stopped or never came:`,
      clusterTable(p.staleAgents),
    );
  }
  if (summary.well) parts.push("all is well\n");
  return parts.join("");
}

/** What is still wrong, in one line: the live line of `--wait`. */
export function problemsLine(summary: FleetSummary): string {
  const p = summary.problems;
  const counted: [number, string][] = [
    [p.applications.count, "unwell Application(s)"],
    [p.generations.length, "generation problem(s)"],
    [p.holds.length, "hold(s)"],
    [p.pendingDeletions.length, "pending deletion(s)"],
    [p.lostClusters.length, "lost cluster(s)"],
    [p.unservedClusters.length, "unserved cluster(s)"],
    [p.staleAgents.length, "silent agent(s)"],
  ];
  const wrong = counted.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return wrong.length === 0 ? "all is well" : wrong.join(", ");
}

function appTable(apps: readonly AppSummary[]): string {
  return plainTable(
    ["APPLICATION", "APPSET", "CLUSTER", "SYNC", "HEALTH", "REVISION", "LAST SYNC", "MESSAGE"],
    apps.map((s) => [
      s.application,
      s.appSet,
      s.cluster,
      s.sync,
      s.health,
      short(s.revision, 12),
      isoTime(s.lastSyncAt),
      short(s.message, 100),
    ]),
  );
}

function generationTable(records: readonly GenerationRecord[]): string {
  const rows: string[][] = [];
  for (const r of records) {
    const row = (problem: string) => rows.push([r.appSet, short(r.commit, 12), isoTime(r.time), problem]);
    if (r.generatorError !== undefined) {
      row(`generation failed, nothing deleted, the previous generation stays in force: ${r.generatorError}`);
    }
    for (const e of r.errors) row(describeElementError(e));
    if (r.errorsTruncated) row(`and ${r.counts.errors - r.errors.length} more element error(s) not recorded`);
  }
  return plainTable(["APPSET", "COMMIT", "AT", "PROBLEM"], rows);
}

function pendingTable(pending: readonly PendingDeletion[]): string {
  return plainTable(
    ["APPLICATION", "APPSET", "CLUSTER", "ATTEMPTS", "SINCE", "NEXT TRY", "LAST ERROR"],
    pending.map((d) => [
      d.application,
      d.appSet,
      d.cluster,
      String(d.attempts),
      msTime(d.since),
      msTime(d.nextAttemptAt),
      short(d.lastError, 100),
    ]),
  );
}

function lostTable(lost: readonly LostCluster[]): string {
  return plainTable(
    ["CLUSTER", "SERVER", "LOST SINCE", "NOTICED BY"],
    lost.map((c) => [c.name, c.server, isoTime(c.lostAt), c.detectedBy]),
  );
}

function clusterTable(clusters: readonly ClusterProblem[]): string {
  return plainTable(
    ["CLUSTER", "MODE", "SERVER", "REACHABILITY", "LAST SEEN"],
    clusters.map((c) => [
      c.name,
      c.mode,
      c.server,
      c.reachability,
      c.lastSeen === undefined ? "never" : isoTime(c.lastSeen),
    ]),
  );
}

/**
 * What the deletion guard holds, one paragraph per ApplicationSet: which Applications, since when and why. The
 * Applications of a removed ApplicationSet are frozen (not re-synced) until the hold is released or dismissed.
 */
export function heldText(holds: readonly HoldRecord[]): string {
  return holds
    .map((h) => {
      const what = h.kind === "removed" ? "removed from Git, frozen" : "deletions held";
      const apps = h.applications.map((a) =>
        a.cluster === undefined ? a.application : `${a.application} on ${a.cluster}`,
      );
      const shown = apps.length > 10 ? `${apps.slice(0, 10).join(", ")} and ${apps.length - 10} more` : apps.join(", ");
      return (
        `held: ApplicationSet ${h.appSet} (${what}) since ${h.since.replace("T", " ").slice(0, 19)}, at ${h.commit.slice(0, 12)}: ` +
        `${h.applications.length} Application(s): ${shown}\n  ${h.reason}\n`
      );
    })
    .join("");
}
