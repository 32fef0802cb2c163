import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "apps/cli/package.json"), "utf8")) as { bin?: Record<string, string> };

// `flotilla` for installed use: the package's bin, run by the workspace's `pnpm exec` and through a link on PATH
// (what `pnpm link --global` and `npm link` make), from any directory.
describe("the flotilla bin", () => {
  const target = join(root, "apps/cli", pkg.bin?.flotilla ?? "missing");
  const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
    spawnSync(command, args, {
      cwd,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        FLOTILLA_SERVER: "",
        FLOTILLA_TOKEN: "",
        XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), "flt-")),
        ...env,
      },
    });

  it("is declared, executable, and starts with a node shebang", () => {
    expect(pkg.bin).toEqual({ flotilla: "./src/main.ts" });
    accessSync(target, constants.X_OK);
    expect(readFileSync(target, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("the workspace's node_modules/.bin/flotilla (pnpm exec flotilla) prints help and exits 0", () => {
    const r = run(join(root, "node_modules/.bin/flotilla"), ["--help"], root);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Usage: flotilla/);
    for (const verb of ["login", "token", "appset", "status"])
      expect(r.stdout).toMatch(new RegExp(`\\n\\s+${verb}\\b`));
    expect(r.status).toBe(0);
  });

  it("a link on PATH works from another directory, and a real command reaches its exit code (3: unreachable)", () => {
    const bin = mkdtempSync(join(tmpdir(), "flotilla-bin-"));
    symlinkSync(target, join(bin, "flotilla"));
    const elsewhere = mkdtempSync(join(tmpdir(), "flotilla-cwd-"));
    const path = `${bin}:${process.env.PATH ?? ""}`;
    const help = run("flotilla", ["--help"], elsewhere, { PATH: path });
    expect(help.stdout).toMatch(/^Usage: flotilla/);
    expect(help.status).toBe(0);
    const down = run("flotilla", ["token", "list", "--server", "http://127.0.0.1:9", "--token", "x"], elsewhere, {
      PATH: path,
    });
    expect(down.stderr).toContain("cannot reach the Flotilla API at http://127.0.0.1:9");
    expect(down.status).toBe(3);
  });

  it("a reader that goes away (`flotilla --help | head -1`) ends it quietly with exit 0, not an EPIPE crash", () => {
    // The shell closes the pipe after one line; the race with the write is why it is tried several times.
    for (let i = 0; i < 5; i++) {
      const r = run(
        "bash",
        ["-c", `"${target}" worker --help | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`],
        root,
      );
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("exit=0\n");
    }
  });
});
