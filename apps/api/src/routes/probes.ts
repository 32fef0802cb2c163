import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";

/**
 * `/healthz`: the process is alive and serving. `/readyz`: it can answer now (Redis reachable); an API waiting
 * for Redis is alive but not ready, so an orchestrator holds traffic rather than restarting it.
 */
export function probeRoutes(options: {
  readiness: () => Readonly<Record<string, boolean>>;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/healthz",
      {
        logLevel: "silent",
        schema: { tags: ["probes"], response: { 200: Type.Object({ ok: Type.Boolean() }) } },
      },
      async () => ({ ok: true }),
    );
    const Readiness = Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Type.Boolean()) });
    app.get(
      "/readyz",
      { logLevel: "silent", schema: { tags: ["probes"], response: { 200: Readiness, 503: Readiness } } },
      async (_req, reply) => {
        const checks = options.readiness();
        const ready = Object.values(checks).every(Boolean);
        return reply.code(ready ? 200 : 503).send({ ready, checks });
      },
    );
  };
}
