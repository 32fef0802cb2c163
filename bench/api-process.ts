// The API as its own process for the benchmarks that read a seeded Redis through it (api, dashboard).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Service, startService } from "@flotilla/demo";
import { eventually, freePort } from "@flotilla/testbed";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface BenchApiOptions {
  redisUrl: string;
  prefix: string;
  /** The bootstrap admin token the benchmark sends. */
  token: string;
  logLevel: string;
  logFile: string;
}

/** Starts the API on a free loopback port and waits until it answers `/readyz`; `base` is its URL. */
export async function startBenchApi(options: BenchApiOptions): Promise<{ service: Service; base: string }> {
  const port = await freePort();
  const service = startService(
    "api",
    join(ROOT, "apps/api/src/main.ts"),
    {
      FLOTILLA_REDIS_URL: options.redisUrl,
      FLOTILLA_REDIS_PREFIX: options.prefix,
      FLOTILLA_API_PORT: String(port),
      FLOTILLA_API_HOST: "127.0.0.1",
      FLOTILLA_API_TOKEN: options.token,
      FLOTILLA_LOG_LEVEL: options.logLevel,
    },
    options.logFile,
  );
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    "the API ready",
    async () => {
      const res = await fetch(`${base}/readyz`).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    60_000,
    250,
  );
  return { service, base };
}
