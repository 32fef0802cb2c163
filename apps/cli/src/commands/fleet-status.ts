import type { AppRef, AppStatus, HistoryEntry } from "@flotilla/status";
import { ExitCode } from "../exit-codes.ts";
import { historyTable } from "../output/status-format.ts";

/**
 * What `flotilla history` reads, from Redis directly (until `flotilla app history` asks the API): an
 * Application's statuses on a cluster, to find its ApplicationSet, and its history.
 */
export interface FleetReader {
  statuses(cluster: string): Promise<AppStatus[]>;
  history(ref: AppRef, limit: number): Promise<HistoryEntry[]>;
  revisionAt(ref: AppRef, time: number): Promise<string | undefined>;
}

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type StatusFormat = "table" | "json";

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
