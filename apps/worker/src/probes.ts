import { type Registry, serveMetrics } from "@flotilla/metrics";
import Fastify from "fastify";
import type { Logger } from "pino";

export interface ProbeServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Read at each `/readyz`: each check's state (Redis reachable, mode started). Ready when all are true. */
  readiness: () => Readonly<Record<string, boolean>>;
  log: Logger;
  /** Served at `/metrics` when given. @defaultValue no `/metrics` */
  metrics?: Registry;
}

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The worker's probes. `/healthz`: the process is alive and its event loop turns (restart it otherwise).
 * `/readyz`: it can do its work now (Redis answers, its mode has started); a worker waiting for Redis is alive
 * but not ready, so an orchestrator waits rather than restarting it. `/metrics`: Prometheus text (see the metrics
 * package).
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const app = Fastify({ loggerInstance: options.log.child({ component: "probes" }) });
  app.get("/healthz", { logLevel: "silent" }, async () => ({ ok: true }));
  app.get("/readyz", { logLevel: "silent" }, async (_req, reply) => {
    const checks = options.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  if (options.metrics !== undefined) serveMetrics(app, options.metrics);
  await app.listen({ port: options.port, host: "0.0.0.0" });
  const address = app.server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : options.port,
    close: () => app.close(),
  };
}
