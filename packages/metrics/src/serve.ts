import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance, FastifySchema } from "fastify";
import type { Registry } from "prom-client";

/** The path Prometheus scrapes. */
export const METRICS_PATH = "/metrics";

/**
 * Any Fastify instance, whatever its server and logger types (the services pass their pino logger, which Fastify's
 * types keep apart from its own).
 */
// biome-ignore lint/suspicious/noExplicitAny: the route neither reads nor depends on those type parameters
export type AnyFastify = FastifyInstance<any, any, any, any, any>;

/** Serves `GET /metrics` on a Fastify instance (the services' probe and webhook servers). */
export function serveMetrics(app: AnyFastify, registry: Registry): void {
  // Scraped every few seconds: its lines would drown the log, as the probes' would. Not JSON, so it stays out of
  // an OpenAPI document (@fastify/swagger reads `hide`; without it the key is ignored).
  app.get(METRICS_PATH, { logLevel: "silent", schema: { hide: true } as FastifySchema }, async (_req, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}

/**
 * For a plain Node http server: answers `GET /metrics` and returns true, or returns false and leaves the request
 * to the server's own handler.
 */
export function handleMetricsRequest(registry: Registry, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(req.method === "HEAD" ? undefined : text);
    },
    (err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
    },
  );
  return true;
}
