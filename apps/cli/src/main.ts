#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { previewAppSets } from "./commands/appset-preview.ts";
import { type FleetReader, type StatusFormat, showHistory, showStatus } from "./commands/fleet-status.ts";
import { registerLoginCommand } from "./commands/login.ts";
import { registerTokenCommands } from "./commands/tokens.ts";
import { createContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";
import { FleetUnavailableError, openFleet } from "./fleet/redis-fleet.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./output/format.ts";
import { openRepos } from "./repos.ts";

const program = new Command("flotilla")
  .description("Flotilla: a multi-cluster GitOps fleet manager")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const ctx = createContext(
  {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stderr.isTTY === true,
  },
  process.env,
);
registerLoginCommand(program, ctx);
registerTokenCommands(program, ctx);

const appset = program.command("appset").description("work with ApplicationSets");

appset
  .command("preview")
  .description("show the Applications an ApplicationSet file produces for a set of clusters")
  .argument("<files...>", "YAML files with one or more ApplicationSets each")
  .option("--clusters <file>", "YAML list of clusters: {name, server, labels, annotations}")
  .addOption(new Option("-o, --output <format>", "output format").choices(OUTPUT_FORMATS).default("table"))
  .option("--repo-cache <dir>", "where Git mirrors are kept (git generators)")
  .addOption(
    new Option("--allow-local-repos", "let git generators read local paths and file:// URLs").env(
      "FLOTILLA_ALLOW_LOCAL_REPOS",
    ),
  )
  .action(
    async (
      files: string[],
      opts: { clusters?: string; output: OutputFormat; repoCache?: string; allowLocalRepos?: boolean | string },
    ) => {
      const repos = openRepos({
        cacheDir: opts.repoCache,
        allowLocalRepos: opts.allowLocalRepos === true || opts.allowLocalRepos === "true",
      });
      process.exitCode = await previewAppSets(
        { files, output: opts.output, ...(opts.clusters !== undefined && { clustersFile: opts.clusters }) },
        {
          readFile: (p) => readFile(p, "utf8"),
          stdout: (t) => process.stdout.write(t),
          stderr: (t) => process.stderr.write(t),
          repos,
        },
      );
    },
  );

const redisOptions = (command: Command): Command =>
  command
    .addOption(
      new Option("--redis <url>", "the fleet's Redis").env("FLOTILLA_REDIS_URL").default("redis://127.0.0.1:6379"),
    )
    .addOption(
      new Option("--prefix <prefix>", "the fleet's key prefix").env("FLOTILLA_REDIS_PREFIX").default("flotilla:"),
    );

/** Runs a command against the fleet's Redis, which is opened for it and closed after. */
async function withFleet(opts: { redis: string; prefix: string }, run: (fleet: FleetReader) => Promise<ExitCode>) {
  const { fleet, close } = await openFleet({ url: opts.redis, prefix: opts.prefix });
  try {
    process.exitCode = await run(fleet);
  } finally {
    await close();
  }
}

const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t) };
const statusFormat = () =>
  new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table");

redisOptions(
  program
    .command("status")
    .description(
      "where every Application stands on every cluster, and what else is wrong: pending deletions, lost clusters, " +
        "failed generations (exit 1 when anything is not well)",
    )
    .option("--cluster <name...>", "only these clusters")
    .option("--appset <name>", "only this ApplicationSet")
    .addOption(statusFormat()),
).action(async (opts: { cluster?: string[]; appset?: string; output: StatusFormat; redis: string; prefix: string }) => {
  await withFleet(opts, (fleet) =>
    showStatus(
      {
        clusters: opts.cluster ?? [],
        output: opts.output,
        ...(opts.appset !== undefined && { appSet: opts.appset }),
      },
      fleet,
      io,
    ),
  );
});

redisOptions(
  program
    .command("history")
    .description("the syncs of one Application on one cluster, or which revision ran there at a given time")
    .argument("<application>", "the Application's name")
    .requiredOption("--cluster <name>", "the cluster")
    .option("--appset <name>", "its ApplicationSet (looked up when unambiguous)")
    .option("--at <time>", "print only the revision that ran at this time (ISO-8601)")
    .addOption(new Option("--limit <n>", "entries shown").argParser((v) => Number.parseInt(v, 10)).default(50))
    .addOption(statusFormat()),
).action(
  async (
    application: string,
    opts: {
      cluster: string;
      appset?: string;
      at?: string;
      limit: number;
      output: StatusFormat;
      redis: string;
      prefix: string;
    },
  ) => {
    await withFleet(opts, (fleet) =>
      showHistory(
        {
          application,
          cluster: opts.cluster,
          limit: opts.limit,
          output: opts.output,
          ...(opts.appset !== undefined && { appSet: opts.appset }),
          ...(opts.at !== undefined && { at: opts.at }),
        },
        fleet,
        io,
      ),
    );
  },
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    const benign =
      err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help";
    process.exitCode = benign ? ExitCode.Ok : ExitCode.InvalidInput;
  } else {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = err instanceof FleetUnavailableError ? ExitCode.Unavailable : ExitCode.InvalidInput;
  }
}
