import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { errorResponses, ObjectName } from "@flotilla/api-contract/schemas/common";
import { RolloutRequestSchema, RolloutSchema } from "@flotilla/api-contract/schemas/rollout";
import type { Rollout } from "@flotilla/rollout";
import { Type } from "typebox";
import type { ApiDeps } from "../deps.ts";
import { conflict, notFound } from "../errors.ts";

/** The rollout of one ApplicationSet, or undefined when it has none. */
export function rolloutOf(deps: ApiDeps, appSet: string): Promise<Rollout | undefined> {
  return deps.store.rollouts.get(appSet);
}

/**
 * A RollingSync ApplicationSet's rollout, and the two operator actions on it: promote (pass the manual gate it
 * waits at) and resume (go on past the Applications that halted it). Both are carried out by the generator's next
 * rollout tick, so they answer 202; one that does not apply now is a 409 saying why.
 */
export function rolloutRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/appsets/:name/rollout",
      {
        config: { scope: "read" },
        schema: {
          tags: ["appsets"],
          summary: "the ApplicationSet's RollingSync rollout: steps, Applications, condition",
          security: [{ bearer: [] }],
          params: Type.Object({ name: ObjectName }),
          response: { 200: RolloutSchema, ...errorResponses },
        },
      },
      async (request) => {
        const rollout = await rolloutOf(deps, request.params.name);
        if (rollout === undefined) throw notFound(`rollout of ApplicationSet "${request.params.name}"`);
        return rollout;
      },
    );
    for (const action of ["promote", "resume"] as const) {
      app.post(
        `/appsets/:name/${action}`,
        {
          config: { scope: "admin" },
          schema: {
            tags: ["appsets"],
            summary:
              action === "promote"
                ? "pass the manual gate (maxUpdate 0) the rollout waits at"
                : "resume a halted rollout past the Applications that halted it",
            security: [{ bearer: [] }],
            params: Type.Object({ name: ObjectName }),
            response: { 202: RolloutRequestSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const { name } = request.params;
          if ((await rolloutOf(deps, name)) === undefined) throw notFound(`rollout of ApplicationSet "${name}"`);
          const outcome = await deps.store.rollouts[action](name);
          if (!outcome.ok) throw conflict(outcome.problem);
          request.log.info({ appset: name, rollout: outcome.request.rollout, action }, `rollout ${action} requested`);
          return reply.code(202).send({ request: outcome.request });
        },
      );
    }
  };
}
