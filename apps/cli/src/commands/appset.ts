import { readFile } from "node:fs/promises";
import type { AppSetDetail, AppSetSummary, DiffItem, HoldDecisionAnswer } from "@flotilla/api-contract/types";
import { type Command, Option } from "commander";
import {
  type CliContext,
  type ConnectionFlags,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { appSetTable, decisionReport, describeAppSet, diffReport } from "../output/appset-views.ts";
import { printed } from "../output/print.ts";
import { rolloutTable } from "../output/rollout-table.ts";
import { registerRolloutCommands } from "./appset-rollout.ts";
import { readPostedFiles } from "./posted-files.ts";

const path = (name: string) => `/api/v1/appsets/${encodeURIComponent(name)}`;

/**
 * `flotilla appset list|get|diff|preview|release|dismiss|promote|resume`. Everything asks the API, except `preview --clusters`,
 * which generates offline against the clusters in a file.
 */
export function registerAppSetCommands(program: Command, ctx: CliContext): void {
  const appset = program.command("appset").description("ApplicationSets: see them, dry-run a change, answer a hold");

  withConnection(
    appset
      .command("list")
      .description("every ApplicationSet: file, commit, counts, held deletions, status")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (opts: ConnectionFlags & { output: OutputFormat }) => {
      const items = await (await ctx.client(opts)).getAll<AppSetSummary>("/api/v1/appsets");
      ctx.io.stdout(printed(items, opts.output, () => appSetTable(items)));
      return ExitCode.Ok;
    }),
  );

  withConnection(
    appset
      .command("get")
      .description("one ApplicationSet: its generators and policy, last generation, element errors and hold")
      .argument("<name>")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (name: string, opts: ConnectionFlags & { output: OutputFormat }) => {
      const detail = await (await ctx.client(opts)).get<AppSetDetail>(path(name));
      const rollout = detail.rollout === undefined ? "" : `\n${rolloutTable(detail.rollout)}`;
      ctx.io.stdout(printed(detail, opts.output, () => `${describeAppSet(detail)}${rollout}`));
      return ExitCode.Ok;
    }),
  );

  withConnection(
    appset
      .command("diff")
      .description(
        "what a generation of these ApplicationSet files would create, update and delete against what is stored " +
          "(exit 0 no change, 1 changes or element errors, 2 invalid input; as kubectl diff)",
      )
      .argument("<files...>", "YAML files with one or more ApplicationSets each")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (files: string[], opts: ConnectionFlags & { output: OutputFormat }) => {
      const client = await ctx.client(opts);
      const posted = await readPostedFiles(files, (p) => readFile(p, "utf8"));
      const { items } = await client.post<{ items: DiffItem[] }>("/api/v1/appsets/diff", { files: posted });
      const report = diffReport(items);
      ctx.io.stdout(printed(items, opts.output, () => report.stdout));
      if (opts.output === "table") ctx.io.stderr(report.stderr);
      const changed = items.some(
        (i) => i.creates.length + i.updates.length + i.deletes.length + i.errors.length > 0 || i.generatorError,
      );
      return changed ? ExitCode.Unwell : ExitCode.Ok;
    }),
  );

  withConnection(
    appset
      .command("preview")
      .description(
        "the Applications ApplicationSet files produce: offline for the clusters in --clusters, else against the " +
          "live registry through the API (exit 1 when an element fails, 2 for invalid input)",
      )
      .argument("<files...>", "YAML files with one or more ApplicationSets each")
      .option("--clusters <file>", "YAML list of clusters {name, server, labels, annotations}: preview offline")
      .addOption(outputOption())
      .option("--repo-cache <dir>", "where Git mirrors are kept (git generators, offline)")
      .addOption(
        new Option("--allow-local-repos", "let git generators read local paths and file:// URLs (offline)").env(
          "FLOTILLA_ALLOW_LOCAL_REPOS",
        ),
      ),
  ).action(
    run(
      ctx,
      async (
        files: string[],
        opts: ConnectionFlags & {
          clusters?: string;
          output: OutputFormat;
          repoCache?: string;
          allowLocalRepos?: boolean | string;
        },
      ) => {
        const io = { readFile: (p: string) => readFile(p, "utf8"), stdout: ctx.io.stdout, stderr: ctx.io.stderr };
        // Loaded when previewing only: the engine and Git are most of the CLI's start-up, and no other verb needs them.
        const { previewAppSets, previewOnline } = await import("./appset-preview.ts");
        if (opts.clusters === undefined) {
          return await previewOnline({ files, output: opts.output }, { ...io, client: await ctx.client(opts) });
        }
        const { openRepos } = await import("../repos.ts");
        const repos = openRepos({
          cacheDir: opts.repoCache,
          allowLocalRepos: opts.allowLocalRepos === true || opts.allowLocalRepos === "true",
        });
        return await previewAppSets({ files, output: opts.output, clustersFile: opts.clusters }, { ...io, repos });
      },
    ),
  );

  for (const action of ["release", "dismiss"] as const) {
    withConnection(
      appset
        .command(action)
        .description(
          action === "release"
            ? "release a held deletion: the generator's next cycle deletes exactly the Applications held now"
            : "dismiss a held deletion: the held Applications are kept and the hold is dropped",
        )
        .argument("<name>")
        .addOption(outputOption()),
    ).action(
      run(ctx, async (name: string, opts: ConnectionFlags & { output: OutputFormat }) => {
        const answer = await (await ctx.client(opts)).post<HoldDecisionAnswer>(`${path(name)}/${action}`);
        ctx.io.stdout(printed(answer, opts.output, () => decisionReport(answer)));
        return ExitCode.Ok;
      }),
    );
  }
  registerRolloutCommands(appset, ctx);
}
