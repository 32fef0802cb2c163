import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, startServiceProcess, untilStatus } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { describe, expect, it } from "vitest";

// The one entrypoint the container image has: `flotilla generator|worker|api` start the services exactly as
// `node apps/<name>/src/main.ts` does, beside the operator verbs.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const flotillaMain = join(root, "apps/cli/src/main.ts");

function run(command: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, command, {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const flotilla = (args: string[], env?: Record<string, string>) => run([flotillaMain, ...args], env);

describe("flotilla's service sub-commands", () => {
  it("lists generator, worker and api beside the verbs", () => {
    const r = flotilla(["--help"]);
    expect(r.code).toBe(0);
    for (const name of ["generator", "worker", "api", "cluster", "status"])
      expect(r.stdout).toMatch(new RegExp(`\\n\\s+${name}\\b`));
  });

  it.each(["generator", "worker", "api"])(
    "`flotilla %s --help` prints its usage and exits 0 without starting",
    (name) => {
      const r = flotilla([name, "--help"]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^Usage: flotilla ${name} \\[options\\]`));
      expect(r.stdout).toContain("Configured by environment variables only");
      expect(r.code).toBe(0);
    },
  );

  it("an unknown sub-command exits 2 naming it; so does an argument a service does not take", () => {
    const unknown = flotilla(["schedular"]);
    expect(unknown.stderr).toContain("error: unknown command 'schedular'");
    expect(unknown.code).toBe(2);
    const extra = flotilla(["api", "--port", "80"]);
    expect(extra.stderr).toContain("error: unknown option '--port'");
    expect(extra.code).toBe(2);
  });

  // Hostile settings: each service refuses them through the entrypoint exactly as when run directly.
  it.each([
    ["worker", { FLOTILLA_MODE: "bogus" }, 'FLOTILLA_MODE: "bogus" is not "agent" or "pool"'],
    ["generator", {}, "fleet.repoURL"],
    ["api", { FLOTILLA_API_PORT: "port-80" }, "FLOTILLA_API_PORT"],
  ] as const)(
    "`flotilla %s` with a bad setting exits 2 as its main module run directly does",
    (name, env, expected) => {
      const viaEntrypoint = flotilla([name], { ...env });
      const direct = run([join(root, `apps/${name}/src/main.ts`)], { ...env });
      expect(viaEntrypoint.stderr).toContain(expected);
      expect(viaEntrypoint.code).toBe(2);
      expect({ code: viaEntrypoint.code, stderr: viaEntrypoint.stderr }).toEqual({
        code: direct.code,
        stderr: direct.stderr,
      });
    },
  );
});

describeWithRedis("flotilla api (a real start)", (redis) => {
  it("serves /readyz against Redis and stops with exit 0 on SIGTERM", async () => {
    const api = startServiceProcess({
      script: flotillaMain,
      args: ["api"],
      env: {
        FLOTILLA_REDIS_URL: redis.url,
        FLOTILLA_REDIS_PREFIX: `services-${process.pid}:`,
        FLOTILLA_API_HOST: "127.0.0.1",
        FLOTILLA_API_PORT: "0",
        FLOTILLA_API_TOKEN: "entrypoint-test-token-0123456789",
      },
    });
    try {
      const started = await eventually(
        "the api started line",
        () => {
          if (api.child.exitCode !== null) throw new Error(`api exited ${api.child.exitCode}: ${api.stderr()}`);
          return api.logs().find((l) => l.msg === "api started");
        },
        60_000,
      );
      expect(started.name).toBe("flotilla:api");
      await untilStatus({ port: started.port as number, path: "/readyz", status: 200 });
      api.child.kill("SIGTERM");
      expect(await api.exited).toBe(0);
    } finally {
      api.kill();
    }
  });
});
