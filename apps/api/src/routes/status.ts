import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ClusterName, errorResponses, ObjectName } from "@flotilla/api-contract/schemas/common";
import { FleetSummarySchema } from "@flotilla/api-contract/schemas/status";
import { DEFAULT_SUMMARY_LIMIT, type FleetSummaryOptions, fleetSummary } from "@flotilla/status";
import { Type } from "typebox";
import type { ApiDeps } from "../deps.ts";
import { readFleetState } from "../fleet/fleet-state.ts";

export interface StatusRouteOptions {
  /** Passed to `fleetSummary`: when an agent's heartbeat is stale, how long a pool worker counts as live. */
  summary?: Pick<FleetSummaryOptions, "heartbeatStaleMs" | "poolWorkerTtlMs">;
}

/** `GET /status`: the fleet summary, then what is wrong anywhere (what `flotilla status` prints). */
export function statusRoutes(deps: ApiDeps, options: StatusRouteOptions = {}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/status",
      {
        config: { scope: "read" },
        schema: {
          tags: ["status"],
          summary:
            "the fleet at a glance (Applications by sync and health, clusters by reachability) and what is wrong: " +
            "unwell Applications, generation problems, holds, pending deletions, lost, unserved and silent clusters",
          security: [{ bearer: [] }],
          querystring: Type.Object(
            {
              cluster: Type.Optional(
                Type.Array(ClusterName, { maxItems: 1000, description: "only these clusters (repeatable)" }),
              ),
              appset: Type.Optional(ObjectName),
              limit: Type.Integer({
                minimum: 0,
                maximum: 1000,
                default: DEFAULT_SUMMARY_LIMIT,
                description: "unwell Applications listed; their count is always exact",
              }),
            },
            { additionalProperties: false },
          ),
          response: { 200: FleetSummarySchema, ...errorResponses },
        },
      },
      async (request) => {
        const { cluster = [], appset, limit } = request.query;
        const summaryOptions: FleetSummaryOptions = {
          ...options.summary,
          clusters: cluster,
          limit,
          ...(appset !== undefined && { appSet: appset }),
        };
        const summary = fleetSummary(
          await readFleetState(deps, { ...summaryOptions, clusters: cluster }),
          summaryOptions,
        );
        request.log.debug(
          { ...(appset !== undefined && { appset }), clusters: cluster.length, well: summary.well },
          "status summary",
        );
        return summary;
      },
    );
  };
}
