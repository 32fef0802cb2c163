import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ApiDeps } from "../deps.ts";
import { applicationRoutes } from "./applications.ts";
import { appSetRoutes } from "./appsets.ts";
import { clusterRoutes } from "./clusters.ts";
import { eventRoutes } from "./events.ts";
import { matrixRoutes } from "./matrix.ts";
import { rolloutRoutes } from "./rollout.ts";
import { statusRoutes } from "./status.ts";
import { tokenRoutes } from "./tokens.ts";

/** Every route under /api/v1, one plugin per area. */
export function apiRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(tokenRoutes(deps));
    await app.register(applicationRoutes(deps));
    await app.register(appSetRoutes(deps));
    await app.register(clusterRoutes(deps));
    await app.register(rolloutRoutes(deps));
    await app.register(statusRoutes(deps));
    await app.register(eventRoutes(deps));
    await app.register(matrixRoutes(deps));
  };
}
