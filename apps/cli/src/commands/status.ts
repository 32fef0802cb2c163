import { parseDuration } from "@flotilla/core";
import type { FleetSummary } from "@flotilla/status";
import type { Command } from "commander";
import type { ApiClient } from "../api/client.ts";
import { ServerUnreachableError } from "../api/errors.ts";
import {
  type CliContext,
  type CommandIO,
  type ConnectionFlags,
  invalid,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { fleetSummaryText, problemsLine } from "../output/fleet-summary-format.ts";
import { printed } from "../output/print.ts";

interface StatusFlags extends ConnectionFlags {
  cluster: string[];
  appset?: string;
  wait?: boolean;
  timeout: string;
  limit?: string;
  output: OutputFormat;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `flotilla status`: the fleet summary and what is wrong anywhere, from `GET /api/v1/status`. Exit 0 when all is
 * well, 1 otherwise, so a script or a CI gate can branch on it; `--wait` re-reads until all is well or the timeout.
 */
export function registerStatusCommand(program: Command, ctx: CliContext): void {
  withConnection(
    program
      .command("status")
      .description(
        "the fleet at a glance and what is wrong anywhere: unwell Applications, generation problems, holds, pending " +
          "deletions, lost or unserved clusters, silent agents (exit 1 when anything is not well)",
      )
      .option("--cluster <name>", "only this cluster (repeatable)", collect, [])
      .option("--appset <name>", "only this ApplicationSet")
      .option("--wait", "re-read until all is well (exit 0) or the timeout (exit 1)")
      .option("--timeout <duration>", "how long --wait waits, e.g. 30s, 5m", "5m")
      .option("--limit <n>", "unwell Applications listed (the count is always exact); at most 1000")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (opts: StatusFlags) => {
      const timeout = parseDuration(opts.timeout);
      if (!timeout.ok) throw invalid(`--timeout: ${timeout.problem}`);
      const limit = opts.limit === undefined ? undefined : Number(opts.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0 && limit <= 1000)) {
        throw invalid(`--limit: "${opts.limit}" is not a whole number from 0 to 1000`);
      }
      const client = await ctx.client(opts);
      const read = () => readSummary(client, { clusters: opts.cluster, appSet: opts.appset, limit });
      const summary = opts.wait ? await waitUntilWell(read, { timeoutMs: timeout.ms, io: ctx.io }) : await read();
      ctx.io.stdout(printed(summary, opts.output, () => fleetSummaryText(summary)));
      return summary.well ? ExitCode.Ok : ExitCode.Unwell;
    }),
  );
}

function readSummary(
  client: ApiClient,
  query: { clusters: string[]; appSet: string | undefined; limit: number | undefined },
): Promise<FleetSummary> {
  return client.get<FleetSummary>("/api/v1/status", {
    cluster: query.clusters,
    appset: query.appSet,
    limit: query.limit,
  });
}

export interface WaitOptions {
  timeoutMs: number;
  io: CommandIO;
  /** Between reads. @defaultValue 2 s */
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads until the fleet is well or the time is up, and returns the last summary read. Progress goes to stderr:
 * one line redrawn in place on a terminal, a line per change otherwise (a CI log stays short). An API that stops
 * answering for a while (a restart) is waited out like any other problem.
 */
export async function waitUntilWell(read: () => Promise<FleetSummary>, options: WaitOptions): Promise<FleetSummary> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = options.intervalMs ?? 2_000;
  const { io } = options;
  const start = now();
  const deadline = start + options.timeoutMs;
  let lastLine = "";
  let lastSummary: FleetSummary | undefined;
  for (;;) {
    let line: string;
    try {
      lastSummary = await read();
      if (lastSummary.well) break;
      line = problemsLine(lastSummary);
    } catch (err) {
      if (!(err instanceof ServerUnreachableError) || now() >= deadline) throw err;
      line = err.message;
    }
    const elapsed = Math.round((now() - start) / 1000);
    if (io.isTTY) io.stderr(`\r\x1b[2Kwaiting (${elapsed}s): ${line}`);
    else if (line !== lastLine) io.stderr(`waiting (${elapsed}s): ${line}\n`);
    lastLine = line;
    if (now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - now())));
  }
  if (io.isTTY && lastLine !== "") io.stderr("\r\x1b[2K");
  if (lastSummary === undefined) throw new ServerUnreachableError(lastLine);
  if (!lastSummary.well) io.stderr(`timed out after ${Math.round(options.timeoutMs / 1000)}s; still wrong:\n`);
  return lastSummary;
}
