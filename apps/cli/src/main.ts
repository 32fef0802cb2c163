#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { registerAppCommands } from "./commands/app.ts";
import { registerAppSetCommands } from "./commands/appset.ts";
import { registerClusterCommands } from "./commands/cluster.ts";
import { registerImportCommands } from "./commands/import.ts";
import { registerLoginCommand } from "./commands/login.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { registerTokenCommands } from "./commands/tokens.ts";
import { createContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";

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
registerStatusCommand(program, ctx);
registerImportCommands(program, ctx);

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
