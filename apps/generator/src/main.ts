#!/usr/bin/env node
// The generator service: watches the fleet repository, expands every ApplicationSet across the registered
// clusters and puts the work on the per-cluster queues. Configured by FLOTILLA_CONFIG and FLOTILLA_* variables.
import { isValidationError } from "@flotilla/core";
import { createLogger } from "@flotilla/log";
import { isRedisPolicyError } from "@flotilla/store";
import { loadGeneratorConfig } from "./config.ts";
import { startGeneratorService } from "./service.ts";

const logger = createLogger({ name: "flotilla:generator", level: process.env.FLOTILLA_LOG_LEVEL ?? "info" });

try {
  const config = loadGeneratorConfig(process.env);
  const service = await startGeneratorService(config, logger);
  logger.info(
    { port: service.port, fleet: config.fleet.repoURL, revision: config.fleet.revision },
    "generator started",
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "stopping");
    const deadline = setTimeout(() => process.exit(1), 20_000).unref();
    await service.stop();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
} catch (err) {
  if (isValidationError(err)) {
    process.stderr.write(`flotilla generator: invalid configuration:\n${err.message}\n`);
    process.exit(2);
  }
  if (isRedisPolicyError(err)) {
    logger.fatal({ err, problem: err.problem }, "Redis is not fit for Flotilla");
    process.stderr.write(`flotilla generator: ${err.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err }, "generator failed to start");
  process.exit(1);
}
