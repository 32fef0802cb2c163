import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ApiDeps } from "../deps.ts";
import { applicationRoutes } from "./applications.ts";
import { appSetRoutes } from "./appsets.ts";
import { clusterRoutes } from "./clusters.ts";
import { tokenRoutes } from "./tokens.ts";

/** Every route under /api/v1, one plugin per area. */
export function apiRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(tokenRoutes(deps));
    await app.register(applicationRoutes(deps));
    await app.register(appSetRoutes(deps));
    await app.register(clusterRoutes(deps));
  };
}
