import type { AppStatus } from "@flotilla/status";
import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion } from "@flotilla/store";
import Table from "cli-table3";
import { describeElementError } from "./element-error.ts";

const short = (text: string | undefined, n: number): string => (text === undefined ? "" : text.slice(0, n));
const digest = (d: string | undefined): string => short(d?.replace(/^sha256:/, ""), 12);

/** Where each Application stands on each cluster, with what went wrong where something did. */
export function statusTable(statuses: readonly AppStatus[]): string {
  const table = new Table({
    head: ["APPLICATION", "APPSET", "CLUSTER", "SYNC", "HEALTH", "REVISION", "BUNDLE", "LAST SYNC", "MESSAGE"],
    style: { head: [], border: [], compact: true },
  });
  for (const s of statuses) {
    const message = s.lastError
      ? `${s.lastError.reason}: ${s.lastError.message}${s.lastError.retrying ? " (retrying)" : ""}`
      : (s.syncMessage ?? (s.health !== "Healthy" ? (s.healthMessage ?? "") : ""));
    table.push([
      s.application,
      s.appSet,
      s.cluster,
      s.sync,
      s.health,
      short(s.revision, 12),
      digest(s.bundleDigest),
      s.lastSyncAt.replace("T", " ").slice(0, 19),
      short(message, 100),
    ]);
  }
  return `${table.toString()}\n`;
}

const time = (ms: number): string => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

/** Deletes still owed: what, where, how long and how often it was tried, and why it last failed. */
export function pendingDeletionTable(pending: readonly PendingDeletion[]): string {
  const table = new Table({
    head: ["APPLICATION", "APPSET", "CLUSTER", "ATTEMPTS", "SINCE", "NEXT TRY", "LAST ERROR"],
    style: { head: [], border: [], compact: true },
  });
  for (const d of pending) {
    table.push([
      d.application,
      d.appSet,
      d.cluster,
      String(d.attempts),
      time(d.since),
      time(d.nextAttemptAt),
      short(d.lastError, 100),
    ]);
  }
  return `${table.toString()}\n`;
}

/** Pool clusters Redis lost with their credentials: which API server each was, and since when it is unserved. */
export function lostClusterTable(lost: readonly LostCluster[]): string {
  const table = new Table({
    head: ["CLUSTER", "SERVER", "LOST SINCE", "NOTICED BY"],
    style: { head: [], border: [], compact: true },
  });
  for (const c of lost) table.push([c.name, c.server, c.lostAt.replace("T", " ").slice(0, 19), c.detectedBy]);
  return `${table.toString()}\n`;
}

/**
 * What each ApplicationSet's last generation left undone, one line per problem: the generator's failure and every
 * recorded element error. (Deletions held back are shown from their hold records, by `heldText`.)
 */
export function generationProblemTable(records: readonly GenerationRecord[]): string {
  const table = new Table({
    head: ["APPSET", "COMMIT", "AT", "PROBLEM"],
    style: { head: [], border: [], compact: true },
  });
  for (const r of records) {
    const row = (problem: string) =>
      table.push([r.appSet, short(r.commit, 12), r.time.replace("T", " ").slice(0, 19), problem]);
    if (r.generatorError !== undefined) {
      row(`generation failed, nothing deleted, the previous generation stays in force: ${r.generatorError}`);
    }
    for (const e of r.errors) row(describeElementError(e));
    if (r.errorsTruncated) row(`and ${r.counts.errors - r.errors.length} more element error(s) not recorded`);
  }
  return `${table.toString()}\n`;
}

/** A fleet summary line: how much of it is where it should be. */
export function statusSummary(statuses: readonly AppStatus[]): string {
  const count = (p: (s: AppStatus) => boolean) => statuses.filter(p).length;
  const total = statuses.length;
  return (
    `${total} Applications: ${count((s) => s.sync === "Synced")} Synced, ${count((s) => s.sync === "OutOfSync")} ` +
    `OutOfSync, ${count((s) => s.sync === "Error")} Error; ${count((s) => s.health === "Healthy")} Healthy, ` +
    `${count((s) => s.health === "Progressing")} Progressing, ${count((s) => s.health === "Degraded")} Degraded\n`
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
