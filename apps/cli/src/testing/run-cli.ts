import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const main = join(root, "apps/cli/src/main.ts");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real command as a user runs it: a process, its own config directory (so no test reads a developer's
 * `flotilla login`), the environment given on top. Asynchronous, so an in-process API keeps answering meanwhile.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  options: { stdin?: string } = {},
): Promise<CliRun> {
  const config = mkdtempSync(join(tmpdir(), "flotilla-cli-config-"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: root,
      env: { ...process.env, FLOTILLA_SERVER: undefined, FLOTILLA_TOKEN: undefined, XDG_CONFIG_HOME: config, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    // Without input the child's stdin stays open but unused, as for a command run from a terminal.
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
