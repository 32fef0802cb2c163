import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { ExitCode } from "../exit-codes.ts";
import { CliError } from "./errors.ts";

/** Where the CLI finds the API, and with which token. */
export interface Connection {
  server: string;
  token: string | undefined;
}

/** Saved by `flotilla login`. */
export interface CliConfigFile {
  server?: string;
  token?: string;
}

export const DEFAULT_SERVER = "http://127.0.0.1:8080";

type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/flotilla/config.yaml`, `~/.config/flotilla/config.yaml` without it. */
export function configPath(env: Env): string {
  const base =
    env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "flotilla", "config.yaml");
}

/** Flags win over the environment, which wins over the file `flotilla login` wrote, as kubectl and argocd do. */
export function resolveConnection(
  flags: { server?: string; token?: string },
  env: Env,
  file: CliConfigFile,
): Connection {
  const server = flags.server ?? nonEmpty(env.FLOTILLA_SERVER) ?? file.server ?? DEFAULT_SERVER;
  const token = flags.token ?? nonEmpty(env.FLOTILLA_TOKEN) ?? file.token;
  return { server: checkedServer(server), token };
}

export function checkedServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(
      `server "${server}" is not a URL; write it as http://HOST:PORT or https://HOST`,
      ExitCode.InvalidInput,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`server "${server}": expected an http:// or https:// URL`, ExitCode.InvalidInput);
  }
  if (url.username !== "" || url.password !== "") {
    throw new CliError(
      "server URL must not carry credentials; pass the token with --token or FLOTILLA_TOKEN",
      ExitCode.InvalidInput,
    );
  }
  return server.replace(/\/+$/, "");
}

/** The saved settings; none when there is no file. A file that does not parse is an error naming it. */
export async function readConfigFile(path: string): Promise<CliConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, ExitCode.InvalidInput);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new CliError(`${path}: not YAML: ${(err as Error).message}`, ExitCode.InvalidInput);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new CliError(`${path}: expected a map with server and token`, ExitCode.InvalidInput);
  }
  const { server, token } = data as Record<string, unknown>;
  for (const [field, value] of [
    ["server", server],
    ["token", token],
  ] as const) {
    if (value !== undefined && typeof value !== "string") {
      throw new CliError(`${path}: ${field}: expected a string`, ExitCode.InvalidInput);
    }
  }
  return { ...(typeof server === "string" && { server }), ...(typeof token === "string" && { token }) };
}

/** Writes the file readable by its owner only (it holds a token), replacing it in one step. */
export async function writeConfigFile(path: string, config: CliConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, stringify(config), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
