import { type Registry, serveMetrics } from "@flotilla/metrics";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { takeWebhook, type WatchedRepo } from "../webhook/intake.ts";
import { WebhookRejectedError } from "../webhook/verify.ts";

export interface GeneratorServerOptions {
  secret: string;
  /** Read at each request: the watched set changes as ApplicationSets add git generators. */
  watched: () => readonly WatchedRepo[];
  /** Starts a generation cycle now (coalesced by the caller); `repoURLs` name the repository pushed to. */
  trigger: (reason: string, repoURLs: readonly string[]) => void;
  logger: FastifyBaseLogger;
  /**
   * Read at each `/readyz`: each check's state (Redis reachable, lease state known). Ready when all are true.
   * `/healthz` only says the process is alive and serving, so that an orchestrator does not restart a replica
   * that is merely waiting for Redis.
   */
  readiness: () => Readonly<Record<string, boolean>>;
  /** Largest accepted body. @defaultValue 5 MiB */
  bodyLimit?: number;
  /** Served at `/metrics` when given. @defaultValue no `/metrics` */
  metrics?: Registry;
}

/** The generator's HTTP face: push webhooks, health probes and Prometheus metrics. */
export function createGeneratorServer(options: GeneratorServerOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger, bodyLimit: options.bodyLimit ?? 5 * 1024 * 1024 });
  // The HMAC covers the exact bytes sent, so the body must reach verification unparsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.post("/webhook", async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const result = takeWebhook(req.headers, body, options.secret, options.watched());
      if (result.outcome === "triggered") {
        options.trigger(`webhook ${result.push.provider} ${result.push.ref}`, result.push.repoURLs);
        return reply.code(202).send({ triggered: true });
      }
      return reply.code(200).send({ triggered: false, reason: result.reason });
    } catch (err) {
      if (err instanceof WebhookRejectedError) {
        req.log.warn({ status: err.status, reason: err.message }, "webhook refused");
        return reply.code(err.status).send({ error: err.message });
      }
      throw err;
    }
  });
  // Probes come every few seconds; their lines would drown the log.
  app.get("/healthz", { logLevel: "silent" }, async () => ({ ok: true }));
  app.get("/readyz", { logLevel: "silent" }, async (_req, reply) => {
    const checks = options.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  if (options.metrics !== undefined) serveMetrics(app, options.metrics);
  return app;
}
