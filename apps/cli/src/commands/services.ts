import type { Command } from "commander";

/**
 * The long-running services, started by name from the one `flotilla` entrypoint (the container image's). Each is
 * imported only when asked for, so the operator verbs do not pay for loading a service; the service's own main
 * module then runs exactly as `node apps/<name>/src/main.ts` does: same variables, signals and exit codes.
 */
const SERVICES = [
  {
    name: "generator",
    summary: "run the generator service: watch the fleet repository and expand every ApplicationSet",
    settings:
      "FLOTILLA_CONFIG or FLOTILLA_FLEET_REPO (the fleet repository), FLOTILLA_REDIS_URL, FLOTILLA_REPO_CACHE, …",
    load: () => import("@flotilla/generator/main"),
  },
  {
    name: "worker",
    summary: "run a reconciler worker (FLOTILLA_MODE=pool, or agent for one cluster from inside it)",
    settings: "FLOTILLA_MODE, FLOTILLA_REDIS_URL, FLOTILLA_ENCRYPTION_KEY_FILE (pool), FLOTILLA_CLUSTER (agent), …",
    load: () => import("@flotilla/worker/main"),
  },
  {
    name: "api",
    summary: "run the HTTP API (the CLI's and the dashboard's server)",
    settings: "FLOTILLA_API_PORT, FLOTILLA_API_TOKEN_FILE, FLOTILLA_ENCRYPTION_KEY_FILE, FLOTILLA_REDIS_URL, …",
    load: () => import("@flotilla/api/main"),
  },
] as const;

export function registerServiceCommands(program: Command): void {
  for (const service of SERVICES) {
    program
      .command(service.name)
      .description(service.summary)
      .addHelpText(
        "after",
        `\nConfigured by environment variables only: ${service.settings} (see the README).\n` +
          "Logs pino JSON on stdout; SIGTERM or SIGINT stops it (exit 0); a setting it cannot use exits 2.\n",
      )
      .action(async () => {
        try {
          await service.load();
        } catch (err) {
          // What Node does with an error escaping a main module, rather than the CLI's exit 2 for bad input.
          process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
          process.exit(1);
        }
      });
  }
}
