#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { previewAppSets } from "./commands/appset-preview.ts";
import { ExitCode } from "./exit-codes.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./output/format.ts";
import { openRepos } from "./repos.ts";

const program = new Command("flotilla")
  .description("Flotilla: a multi-cluster GitOps fleet manager")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const appset = program.command("appset").description("work with ApplicationSets");

appset
  .command("preview")
  .description("show the Applications an ApplicationSet file produces for a set of clusters")
  .argument("<files...>", "YAML files with one or more ApplicationSets each")
  .option("--clusters <file>", "YAML list of clusters: {name, server, labels, annotations}")
  .addOption(new Option("-o, --output <format>", "output format").choices(OUTPUT_FORMATS).default("table"))
  .option("--repo-cache <dir>", "where Git mirrors are kept (git generators)")
  .action(async (files: string[], opts: { clusters?: string; output: OutputFormat; repoCache?: string }) => {
    const repos = openRepos(opts.repoCache);
    process.exitCode = await previewAppSets(
      { files, output: opts.output, ...(opts.clusters !== undefined && { clustersFile: opts.clusters }) },
      {
        readFile: (p) => readFile(p, "utf8"),
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        repos,
      },
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    const benign =
      err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help";
    process.exitCode = benign ? ExitCode.Ok : ExitCode.InvalidInput;
  } else {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = ExitCode.InvalidInput;
  }
}
