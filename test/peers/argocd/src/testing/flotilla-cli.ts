import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../../../", import.meta.url));

export interface FlotillaRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `flotilla` command as a user runs it (a process of this clone's CLI), offline: no server, its own config. */
export function runFlotilla(args: readonly string[]): Promise<FlotillaRun> {
  const config = mkdtempSync(join(tmpdir(), "flotilla-cli-config-"));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "apps/cli/src/main.ts"), ...args],
      {
        cwd: root,
        env: { PATH: process.env["PATH"] ?? "", HOME: config, XDG_CONFIG_HOME: config },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
