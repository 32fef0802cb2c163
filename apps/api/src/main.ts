#!/usr/bin/env node
// The API: registers clusters and shows and acts on the fleet, for the CLI, the dashboard and scripts.
// Configured by FLOTILLA_* variables (see config.ts and the README).
import { createLogger } from "@flotilla/log";
import { isEncryptionKeyError, isRedisPolicyError } from "@flotilla/store";
import { ApiConfigError, loadApiConfig } from "./config.ts";
import { startApiService } from "./service.ts";

const log = createLogger({ name: "flotilla:api", level: process.env.FLOTILLA_LOG_LEVEL ?? "info" });

try {
  const config = loadApiConfig(process.env);
  if (config.bootstrapToken === undefined) {
    log.warn("no bootstrap token (FLOTILLA_API_TOKEN_FILE or FLOTILLA_API_TOKEN): only stored tokens are accepted");
  }
  const service = await startApiService(config, log);
  log.info({ port: service.port, host: config.host }, "api started");
  const shutdown = async (signal: string) => {
    log.info({ signal }, "stopping");
    const deadline = setTimeout(() => process.exit(1), 10_000).unref();
    await service.stop();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
} catch (err) {
  if (err instanceof ApiConfigError || isRedisPolicyError(err) || isEncryptionKeyError(err)) {
    process.stderr.write(`flotilla api: ${(err as Error).message}\n`);
    process.exit(2);
  }
  log.fatal({ err }, "api failed to start");
  process.exit(1);
}
