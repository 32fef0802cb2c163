import type { AppStatus } from "@flotilla/status";
import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion } from "@flotilla/store";
import { ExitCode } from "../exit-codes.ts";
import {
  generationProblemTable,
  heldText,
  lostClusterTable,
  pendingDeletionTable,
  statusSummary,
  statusTable,
} from "../output/status-format.ts";

/** What the status commands read: the fleet's state as the generator and the workers recorded it. */
export interface FleetReader {
  clusters(): Promise<string[]>;
  statuses(cluster: string): Promise<AppStatus[]>;
  /** Deletes that failed and are still owed on the cluster. */
  pendingDeletions(cluster: string): Promise<PendingDeletion[]>;
  /** Pool clusters whose record and credentials Redis lost; they are no longer among `clusters()`. */
  lostClusters(): Promise<LostCluster[]>;
  /** The last generation record of every ApplicationSet. */
  generations(): Promise<GenerationRecord[]>;
  /** Deletions the generator holds, per ApplicationSet, until an operator releases or dismisses them. */
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

/** Everything `flotilla status` reports; `-o json` prints it as it is. */
export interface FleetStatus {
  applications: AppStatus[];
  pendingDeletions: PendingDeletion[];
  lostClusters: LostCluster[];
  /** The records of the ApplicationSets whose last generation failed or had element errors. */
  generationProblems: GenerationRecord[];
  /** What the deletion guard holds (its own records, with since when; a removed ApplicationSet shows frozen). */
  holds: HoldRecord[];
}

/**
 * `flotilla status`: every Application on every cluster (or the ones asked for), then what the store knows is
 * wrong beyond them: deletions still owed, pool clusters lost with Redis's data, ApplicationSets whose last
 * generation did not do all that Git asks, deletions the guard holds. Exits 1 when any of that exists or any Application is in Error or
 * Degraded, so a script or a CI gate can wait on the fleet.
 */
export async function showStatus(options: StatusOptions, fleet: FleetReader, io: CommandIO): Promise<ExitCode> {
  const status = await readStatus(options, fleet);
  if (options.output === "json") io.stdout(`${JSON.stringify(status, null, 2)}\n`);
  else printStatus(status, io);
  return isWell(status) ? ExitCode.Ok : ExitCode.ElementErrors;
}

/**
 * `--cluster` and `--appset` narrow each list by what it can be attributed to: a lost cluster belongs to no
 * ApplicationSet we can name (its Applications' statuses went with the data), a generation record to no cluster.
 */
async function readStatus(options: StatusOptions, fleet: FleetReader): Promise<FleetStatus> {
  const clusters = options.clusters.length > 0 ? options.clusters : await fleet.clusters();
  const inAppSet = (appSet: string) => options.appSet === undefined || appSet === options.appSet;
  const inClusters = (cluster: string) => options.clusters.length === 0 || options.clusters.includes(cluster);
  const chosen = <T extends { appSet: string; application: string; cluster: string }>(all: T[][]): T[] =>
    all
      .flat()
      .filter((s) => inAppSet(s.appSet))
      .sort((a, b) => a.application.localeCompare(b.application) || a.cluster.localeCompare(b.cluster));
  const [applications, pendingDeletions, lost, generations, holds] = await Promise.all([
    Promise.all(clusters.map((c) => fleet.statuses(c))).then(chosen),
    Promise.all(clusters.map((c) => fleet.pendingDeletions(c))).then(chosen),
    fleet.lostClusters(),
    fleet.generations(),
    fleet.holds(),
  ]);
  return {
    applications,
    pendingDeletions,
    lostClusters: lost.filter((c) => inClusters(c.name)),
    generationProblems: generations.filter((r) => inAppSet(r.appSet) && needsAttention(r)),
    holds: holds.filter((h) => inAppSet(h.appSet)),
  };
}

/**
 * A generation that failed or left elements out has not made the fleet what Git says. (What it held back is in
 * the hold records, which say since when and can be released.)
 */
function needsAttention(record: GenerationRecord): boolean {
  return record.generatorError !== undefined || record.counts.errors > 0;
}

function isWell(status: FleetStatus): boolean {
  return (
    status.pendingDeletions.length === 0 &&
    status.lostClusters.length === 0 &&
    status.generationProblems.length === 0 &&
    status.holds.length === 0 &&
    !status.applications.some((s) => s.sync === "Error" || s.health === "Degraded")
  );
}

function printStatus(status: FleetStatus, io: CommandIO): void {
  const { applications, pendingDeletions, lostClusters, generationProblems, holds } = status;
  io.stdout(applications.length > 0 ? statusTable(applications) : "no Applications recorded on these clusters\n");
  io.stdout(statusSummary(applications));
  if (pendingDeletions.length > 0) {
    io.stdout(`\n${pendingDeletions.length} pending deletion(s), retried until done or abandoned:\n`);
    io.stdout(pendingDeletionTable(pendingDeletions));
  }
  if (lostClusters.length > 0) {
    io.stdout(
      `\n${lostClusters.length} pool cluster(s) lost with the Redis data: no worker serves them and their objects ` +
        "stay as they are; register each again with its credentials, under the same name and server:\n",
    );
    io.stdout(lostClusterTable(lostClusters));
  }
  if (generationProblems.length > 0) {
    io.stdout(`\n${generationProblems.length} ApplicationSet(s) whose last generation did not do all that Git asks:\n`);
    io.stdout(generationProblemTable(generationProblems));
  }
  if (holds.length > 0) io.stdout(`\n${heldText(holds)}`);
}
