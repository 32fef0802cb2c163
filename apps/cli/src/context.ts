import { type Command, Option } from "commander";
import { ApiClient } from "./api/client.ts";
import { configPath, readConfigFile, resolveConnection } from "./api/connection.ts";
import { CliError } from "./api/errors.ts";
import { ExitCode } from "./exit-codes.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./output/format.ts";

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal: `--wait` then redraws one live line instead of printing a line per change. */
  isTTY: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What every command gets: where to print, the environment, and how to reach the API. */
export interface CliContext {
  io: CommandIO;
  env: Env;
  /** The API client for a command's `--server`/`--token` flags (or the environment, or `flotilla login`'s file). */
  client(flags: ConnectionFlags): Promise<ApiClient>;
}

export interface ConnectionFlags {
  server?: string;
  token?: string;
}

export function createContext(io: CommandIO, env: Env): CliContext {
  return {
    io,
    env,
    client: async (flags) => {
      const connection = resolveConnection(flags, env, await readConfigFile(configPath(env)));
      return new ApiClient(connection);
    },
  };
}

/** `--server` and `--token` on a command that talks to the API. */
export function withConnection(command: Command): Command {
  return command
    .option("--server <url>", "the Flotilla API (else FLOTILLA_SERVER, else the file `flotilla login` wrote)")
    .option("--token <token>", "a bearer token (else FLOTILLA_TOKEN, else the file `flotilla login` wrote)");
}

/** `-o table|json|yaml`, as kubectl. */
export function outputOption(): Option {
  return new Option("-o, --output <format>", "output format").choices(OUTPUT_FORMATS).default("table");
}

export type { OutputFormat };

/**
 * A command's action: its result is the exit code; a CliError prints its message (and the field the API named)
 * and exits with its code. Anything else is a bug of ours and exits 1 with its message.
 */
export function run<A extends unknown[]>(
  ctx: CliContext,
  action: (...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await action(...args);
    } catch (err) {
      if (err instanceof CliError) {
        // One "error:" per line: the API lists every problem of a posted file on a line of its own.
        for (const line of err.message.split("\n")) ctx.io.stderr(`error: ${line}\n`);
        process.exitCode = err.exitCode;
        return;
      }
      throw err;
    }
  };
}

/** A required positional or flag value that fails a check: exit 2 with the reason. */
export function invalid(message: string): CliError {
  return new CliError(message, ExitCode.InvalidInput);
}
