import type { HoldRecord, PendingDeletion } from "@flotilla/store";
import type { AppRef, AppStatus, HistoryEntry } from "@flotilla/worker";
import { ExitCode } from "../exit-codes.ts";
import { heldText, historyTable, pendingDeletionTable, statusSummary, statusTable } from "../output/status-format.ts";

/** What the status commands read: the fleet's state as the workers recorded it. */
export interface FleetReader {
  clusters(): Promise<string[]>;
  statuses(cluster: string): Promise<AppStatus[]>;
  /** Deletes that failed and are still owed on the cluster. */
  pendingDeletions(cluster: string): Promise<PendingDeletion[]>;
  history(ref: AppRef, limit: number): Promise<HistoryEntry[]>;
  revisionAt(ref: AppRef, time: number): Promise<string | undefined>;
  /** Deletions the generator holds, per ApplicationSet. */
  holds(): Promise<HoldRecord[]>;
}

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type StatusFormat = "table" | "json";

export interface StatusOptions {
  clusters: string[];
  appSet?: string;
  output: StatusFormat;
}

/**
 * `flotilla status`: every Application on every cluster (or the ones asked for), then the deletions still owed.
 * Exits 1 when any Application is in Error or Degraded or any deletion is pending, so a script or a CI gate can
 * wait on the fleet. `-o json` prints `{ applications, pendingDeletions }`.
 */
export async function showStatus(options: StatusOptions, fleet: FleetReader, io: CommandIO): Promise<ExitCode> {
  const clusters = options.clusters.length > 0 ? options.clusters : await fleet.clusters();
  const chosen = <T extends { appSet: string; application: string; cluster: string }>(all: T[][]): T[] =>
    all
      .flat()
      .filter((s) => options.appSet === undefined || s.appSet === options.appSet)
      .sort((a, b) => a.application.localeCompare(b.application) || a.cluster.localeCompare(b.cluster));
  const [statuses, pending] = await Promise.all([
    Promise.all(clusters.map((c) => fleet.statuses(c))).then(chosen),
    Promise.all(clusters.map((c) => fleet.pendingDeletions(c))).then(chosen),
  ]);
  if (options.output === "json") {
    io.stdout(`${JSON.stringify({ applications: statuses, pendingDeletions: pending }, null, 2)}\n`);
  } else {
    io.stdout(statuses.length > 0 ? statusTable(statuses) : "no Applications recorded on these clusters\n");
    io.stdout(statusSummary(statuses));
    if (pending.length > 0) {
      io.stdout(`\n${pending.length} pending deletion(s), retried until done or abandoned:\n`);
      io.stdout(pendingDeletionTable(pending));
    }
    const holds = (await fleet.holds()).filter((h) => options.appSet === undefined || h.appSet === options.appSet);
    if (holds.length > 0) io.stdout(heldText(holds));
  }
  const unwell = pending.length > 0 || statuses.some((s) => s.sync === "Error" || s.health === "Degraded");
  return unwell ? ExitCode.ElementErrors : ExitCode.Ok;
}

export interface HistoryOptions {
  application: string;
  cluster: string;
  appSet?: string;
  /** "What ran at this time?" instead of the list. */
  at?: string;
  limit: number;
  output: StatusFormat;
}

/** `flotilla history`: the syncs of one Application on one cluster, or the revision that ran there at a time. */
export async function showHistory(options: HistoryOptions, fleet: FleetReader, io: CommandIO): Promise<ExitCode> {
  let time: number | undefined;
  if (options.at !== undefined) {
    time = Date.parse(options.at);
    if (Number.isNaN(time)) {
      io.stderr(`error: --at "${options.at}" is not a time; expected ISO-8601 such as 2026-11-24T21:00:00Z\n`);
      return ExitCode.InvalidInput;
    }
  }
  const ref = await refOf(options, fleet, io);
  if (ref === undefined) return ExitCode.InvalidInput;
  if (time !== undefined) {
    const revision = await fleet.revisionAt(ref, time);
    const when = new Date(time).toISOString();
    if (options.output === "json") io.stdout(`${JSON.stringify({ ...ref, at: when, revision: revision ?? null })}\n`);
    else if (revision === undefined) io.stdout(`${ref.application} was not on ${ref.cluster} at ${when}\n`);
    else io.stdout(`${ref.application} on ${ref.cluster} at ${when} ran ${revision}\n`);
    return revision === undefined ? ExitCode.ElementErrors : ExitCode.Ok;
  }
  const entries = await fleet.history(ref, options.limit);
  if (options.output === "json") io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  else io.stdout(entries.length > 0 ? historyTable(entries) : `no history for ${ref.application} on ${ref.cluster}\n`);
  return ExitCode.Ok;
}

/** The Application's full reference; its ApplicationSet is looked up when not given, and must be unambiguous. */
async function refOf(options: HistoryOptions, fleet: FleetReader, io: CommandIO): Promise<AppRef | undefined> {
  const { application, cluster } = options;
  if (options.appSet !== undefined) return { cluster, appSet: options.appSet, application };
  const owners = (await fleet.statuses(cluster)).filter((s) => s.application === application).map((s) => s.appSet);
  if (owners.length === 1) return { cluster, appSet: owners[0]!, application };
  io.stderr(
    owners.length === 0
      ? `error: no Application "${application}" is recorded on cluster "${cluster}"; name its ApplicationSet with --appset if it was deleted\n`
      : `error: "${application}" on "${cluster}" belongs to ApplicationSets ${owners.join(", ")}; choose one with --appset\n`,
  );
  return undefined;
}
