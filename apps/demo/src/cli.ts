import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The commands under way: a stop ends them too, so that none outlives the demo. */
const running = new Set<ChildProcess>();

/** Ends every `flotilla` command still running (SIGTERM); the stop of the demo calls it first. */
export function endRunningCommands(): void {
  for (const child of running) child.kill("SIGTERM");
}

/**
 * `flotilla ARGS…` as its own process, the way a person runs it: the demo acts on the fleet through the CLI and the
 * API, not through the store's code. Resolves whatever the exit code; `flotillaOk` insists on 0.
 */
export function flotilla(root: string, args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "apps/cli/src/main.ts"), ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) => {
      running.delete(child);
      reject(err);
    });
    child.on("close", (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like `flotilla`, but a non-zero exit is an error carrying the command (without its secrets) and its stderr. */
export async function flotillaOk(root: string, args: readonly string[], env: Record<string, string>): Promise<string> {
  const result = await flotilla(root, args, env);
  if (result.code !== 0) {
    throw new Error(`flotilla ${args.slice(0, 3).join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}
