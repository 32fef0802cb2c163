import type { AppDetail, SyncAnswer } from "@flotilla/api-contract/types";
import { formatDuration, parseDuration } from "@flotilla/core";
import type { Command } from "commander";
import { appPath } from "../api/applications.ts";
import type { ApiClient } from "../api/client.ts";
import {
  type CliContext,
  type ConnectionFlags,
  invalid,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { printed } from "../output/print.ts";
import { appOptions, appSetQuery } from "./app-options.ts";
import { type SyncAsked, waitVerdict } from "./app-wait.ts";

type SyncFlags = ConnectionFlags & {
  output: OutputFormat;
  cluster: string;
  appset?: string;
  prune?: boolean;
  wait?: boolean;
  timeout: string;
};

/** Time between two looks at the Application while waiting. */
const POLL_MS = 1_000;

/** `flotilla app sync APP --cluster C [--prune] [--wait [--timeout D]]`. */
export function registerAppSyncCommand(app: Command, ctx: CliContext): void {
  withConnection(
    appOptions(
      app
        .command("sync")
        .description("sync now: a manual Application (no automated policy) is applied only so")
        .argument("<application>", "the Application's name"),
    )
      .option("--prune", "also delete what left Git")
      .option("--wait", "wait until it is Synced and Healthy (exit 0), Degraded or failed (exit 1), or the timeout")
      .option("--timeout <duration>", "how long --wait waits, e.g. 90s, 5m", "5m")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (application: string, opts: SyncFlags) => {
      const timeout = parseDuration(opts.timeout);
      if (!timeout.ok) throw invalid(`--timeout: ${timeout.problem}`);
      const client = await ctx.client(opts);
      const since = new Date(Date.now() - 1_000).toISOString();
      const answer = await client.post<SyncAnswer>(
        `${appPath(opts.cluster, application, "sync")}${appSetQuery(opts.appset)}`,
        opts.prune === true ? { prune: true } : {},
      );
      ctx.io.stdout(
        printed(
          answer,
          opts.output,
          () =>
            `sync of ${application} on ${opts.cluster} requested${opts.prune === true ? " with prune" : ""} ` +
            `(${answer.automated ? "automated" : "manual"} policy)\n`,
        ),
      );
      if (opts.wait !== true) return ExitCode.Ok;
      const asked: SyncAsked = {
        desiredDigest: answer.desiredDigest,
        since: answer.request?.at ?? since,
        ...(answer.request !== undefined && { requestId: answer.request.id }),
      };
      return await waitForSync(ctx, client, {
        path: appPath(opts.cluster, application),
        appSet: answer.appSet,
        asked,
        timeoutMs: timeout.ms,
      });
    }),
  );
}

export interface WaitRequest {
  path: string;
  appSet: string;
  asked: SyncAsked;
  timeoutMs: number;
  /** Time between two looks. @defaultValue 1 s */
  pollMs?: number;
}

/**
 * Looks at the Application until the sync converged, failed or the time ran out, showing where it stands: one
 * line redrawn in place on a terminal, a line per change otherwise (a CI log stays readable).
 */
export async function waitForSync(
  ctx: Pick<CliContext, "io">,
  client: Pick<ApiClient, "get">,
  request: WaitRequest,
): Promise<ExitCode> {
  const pollMs = request.pollMs ?? POLL_MS;
  const deadline = Date.now() + request.timeoutMs;
  let shown = "";
  const show = (line: string) => {
    if (line === shown) return;
    shown = line;
    ctx.io.stderr(ctx.io.isTTY ? `\r\u001b[2K${line}` : `${line}\n`);
  };
  const end = (line: string) => (ctx.io.isTTY ? ctx.io.stderr(`\r\u001b[2K${line}\n`) : ctx.io.stderr(`${line}\n`));
  for (;;) {
    const detail = await client.get<AppDetail>(request.path, { appset: request.appSet });
    const verdict = waitVerdict(detail, request.asked);
    if (verdict.state === "converged") {
      end(`${verdict.line}: synced`);
      return ExitCode.Ok;
    }
    if (verdict.state === "failed") {
      end(`${verdict.line}: sync failed`);
      return ExitCode.Unwell;
    }
    if (Date.now() >= deadline) {
      end(`timed out after ${formatDuration(request.timeoutMs)}; last seen: ${verdict.line}`);
      return ExitCode.Unwell;
    }
    show(verdict.line);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
