#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { registerAppCommands } from "./commands/app.ts";
import { registerAppSetCommands } from "./commands/appset.ts";
import { registerClusterCommands } from "./commands/cluster.ts";
import { type FleetReader, type StatusFormat, showStatus } from "./commands/fleet-status.ts";
import { registerLoginCommand } from "./commands/login.ts";
import { registerTokenCommands } from "./commands/tokens.ts";
import { createContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";
import { FleetUnavailableError, openFleet } from "./fleet/redis-fleet.ts";

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
registerClusterCommands(program, ctx);
registerAppSetCommands(program, ctx);
registerAppCommands(program, ctx);

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
