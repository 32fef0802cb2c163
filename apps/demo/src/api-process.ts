import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, untilStatus } from "@flotilla/testbed";
import { loggedPort } from "./log-port.ts";
import { type Service, startService } from "./processes.ts";

export interface DemoApiOptions {
  /** The repository root, where apps/api lives. */
  root: string;
  /** Redis URL, prefix, log level and what else every service shares. */
  env: Record<string, string>;
  /** The registry's credentials key, as a file: `cluster add` stores kubeconfigs encrypted with it. */
  keyFile: string;
  workDir: string;
  logsDir: string;
  /** Told of the API's process as soon as it is spawned, so that a stop under way while it starts can end it. */
  onSpawn?: (service: Service) => void;
}

export interface DemoApi {
  service: Service;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The bootstrap admin token, generated for this run; it is also in `tokenFile` (mode 0600). */
  bootstrapToken: string;
}

/**
 * The API as its own process on a port the kernel picks (read back from its "api started" log line, so no port can
 * be taken in between), with a bootstrap admin token generated now and handed over in a file only its owner reads.
 */
export async function startDemoApi(options: DemoApiOptions): Promise<DemoApi> {
  const bootstrapToken = randomBytes(32).toString("base64url");
  const tokenFile = join(options.workDir, "api-bootstrap.token");
  writeFileSync(tokenFile, `${bootstrapToken}\n`, { mode: 0o600 });
  const logFile = join(options.logsDir, "api.log");
  const service = startService(
    "api",
    join(options.root, "apps/api/src/main.ts"),
    {
      ...options.env,
      FLOTILLA_API_HOST: "127.0.0.1",
      FLOTILLA_API_PORT: "0",
      FLOTILLA_API_TOKEN_FILE: tokenFile,
      FLOTILLA_ENCRYPTION_KEY_FILE: options.keyFile,
      FLOTILLA_REPO_CACHE: join(options.workDir, "repos-api"),
    },
    logFile,
  );
  options.onSpawn?.(service);
  const port = await eventually(
    "the API's start (see its log)",
    () => {
      if (service.child.exitCode !== null)
        throw new Error(`the API exited with ${service.child.exitCode}; see ${logFile}`);
      return loggedPort(logFile, "api started");
    },
    60_000,
  );
  await untilStatus({ port, path: "/readyz", status: 200 });
  return { service, url: `http://127.0.0.1:${port}`, bootstrapToken };
}
