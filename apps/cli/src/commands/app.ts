import type { AppDetail, AppSummary, HistoryItem, RefreshAnswer, RevisionAtAnswer } from "@flotilla/api-contract/types";
import { type Command, Option } from "commander";
import { appPath } from "../api/applications.ts";
import {
  type CliContext,
  type ConnectionFlags,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { appDetailText, appHistoryTable, appListTable } from "../output/app-format.ts";
import { printed } from "../output/print.ts";
import { appOptions, appSetQuery, isoTime } from "./app-options.ts";
import { registerAppSyncCommand } from "./app-sync.ts";

const SYNC_STATUSES = ["Synced", "OutOfSync", "Error"];
const HEALTH_STATUSES = ["Healthy", "Progressing", "Degraded", "Missing", "Unknown"];

type Flags = ConnectionFlags & { output: OutputFormat };
type AppFlags = Flags & { cluster: string; appset?: string };

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `flotilla app list|get|sync|refresh|history`: Applications through the API. */
export function registerAppCommands(program: Command, ctx: CliContext): void {
  const app = program.command("app").description("Applications: list, get, sync, refresh, history");

  withConnection(
    app
      .command("list")
      .description("every Application on every cluster, or those the filters keep")
      .option("--appset <name>", "only this ApplicationSet's")
      .option("--cluster <name>", "only on this cluster (repeat for more)", collect)
      .addOption(new Option("--sync <status>", "only this sync status").choices(SYNC_STATUSES))
      .addOption(new Option("--health <status>", "only this health").choices(HEALTH_STATUSES))
      .addOption(outputOption()),
  ).action(
    run(ctx, async (opts: Flags & { appset?: string; cluster?: string[]; sync?: string; health?: string }) => {
      const items = await (await ctx.client(opts)).getAll<AppSummary>(
        "/api/v1/applications",
        { appset: opts.appset, cluster: opts.cluster, sync: opts.sync, health: opts.health },
        1000,
      );
      ctx.io.stdout(
        printed(items, opts.output, () => (items.length === 0 ? "no Applications\n" : appListTable(items))),
      );
      return ExitCode.Ok;
    }),
  );

  withConnection(
    appOptions(
      app
        .command("get")
        .description("one Application: resources, conditions, last error, desired vs live of what differs")
        .argument("<application>", "the Application's name"),
    ).addOption(outputOption()),
  ).action(
    run(ctx, async (application: string, opts: AppFlags) => {
      const client = await ctx.client(opts);
      const detail = await client.get<AppDetail>(appPath(opts.cluster, application), { appset: opts.appset });
      ctx.io.stdout(printed(detail, opts.output, () => appDetailText(detail)));
      return ExitCode.Ok;
    }),
  );

  registerAppSyncCommand(app, ctx);

  withConnection(
    appOptions(
      app
        .command("refresh")
        .description("re-check now: compare with the cluster (an automated one then syncs) and read Git again")
        .argument("<application>", "the Application's name"),
    ).addOption(outputOption()),
  ).action(
    run(ctx, async (application: string, opts: AppFlags) => {
      const client = await ctx.client(opts);
      const answer = await client.post<RefreshAnswer>(
        `${appPath(opts.cluster, application, "refresh")}${appSetQuery(opts.appset)}`,
      );
      const what = answer.enqueued === "sync" ? "a sync (automated policy)" : "a comparison (manual policy)";
      ctx.io.stdout(
        printed(
          answer,
          opts.output,
          () => `refresh of ${application} on ${opts.cluster}: ${what} enqueued; the generator reads Git again\n`,
        ),
      );
      return ExitCode.Ok;
    }),
  );

  withConnection(
    appOptions(
      app
        .command("history")
        .description("the syncs of an Application on a cluster, newest first, or which revision ran at a time")
        .argument("<application>", "the Application's name"),
    )
      .option("--at <time>", "print the revision that ran at this time (ISO-8601, e.g. 2026-11-24T21:00:00Z)")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (application: string, opts: AppFlags & { at?: string }) => {
      const at = opts.at === undefined ? undefined : isoTime(opts.at);
      const client = await ctx.client(opts);
      const path = appPath(opts.cluster, application, "history");
      if (at !== undefined) {
        const answer = await client.get<RevisionAtAnswer>(path, { appset: opts.appset, at });
        ctx.io.stdout(
          printed(answer, opts.output, () =>
            answer.revision === null
              ? `${application} was not on ${opts.cluster} at ${answer.at}\n`
              : `${application} on ${opts.cluster} at ${answer.at} ran ${answer.revision}\n`,
          ),
        );
        return answer.revision === null ? ExitCode.Unwell : ExitCode.Ok;
      }
      const { items } = await client.get<{ items: HistoryItem[] }>(path, { appset: opts.appset });
      ctx.io.stdout(
        printed(items, opts.output, () =>
          items.length === 0 ? `no history for ${application} on ${opts.cluster}\n` : appHistoryTable(items),
        ),
      );
      return ExitCode.Ok;
    }),
  );
}
