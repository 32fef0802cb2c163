import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { errorResponses } from "@flotilla/api-contract/schemas/common";
import { FleetMatrixSchema, MatrixQuery } from "@flotilla/api-contract/schemas/matrix";
import { compileSelector, parseSelector, SelectorSyntaxError } from "@flotilla/generators";
import { fleetMatrix, readMatrixApplications } from "@flotilla/status";
import type { RegisteredCluster } from "@flotilla/store";
import { reachabilityOf } from "../clusters/cluster-view.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest } from "../errors.ts";
import { type MatrixFilters, matrixFilters } from "../fleet/matrix-query.ts";

/** The registered clusters the filters choose: by name, then by label selector. */
function chosenClusters(registered: readonly RegisteredCluster[], filters: MatrixFilters): RegisteredCluster[] {
  let chosen =
    filters.clusters === undefined ? [...registered] : registered.filter((c) => filters.clusters!.has(c.name));
  if (filters.selector !== undefined) {
    let matches: (labels: Readonly<Record<string, string>>) => boolean;
    try {
      matches = compileSelector(parseSelector(filters.selector), ["query", "selector"]);
    } catch (error) {
      if (error instanceof SelectorSyntaxError) throw badRequest(`query.selector: ${error.message}`, "query.selector");
      throw error;
    }
    chosen = chosen.filter((c) => matches(c.labels));
  }
  return chosen;
}

/**
 * `GET /matrix`: ApplicationSets × clusters, the whole fleet in one answer for the dashboard. Read from the
 * per-cluster verdict and owner hashes (two pipelines for any number of clusters), never from status documents.
 */
export function matrixRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/matrix",
      {
        config: { scope: "read" },
        schema: {
          tags: ["status"],
          summary:
            "the fleet matrix: ApplicationSets × clusters, each cell the worst sync and health of its Applications, " +
            "filtered by ApplicationSet, cluster, cluster label selector, sync and health",
          security: [{ bearer: [] }],
          querystring: MatrixQuery,
          response: { 200: FleetMatrixSchema, ...errorResponses },
        },
      },
      async (request) => {
        const filters = matrixFilters(request.query);
        const [registered, sources] = await Promise.all([
          deps.store.clusters.list(),
          deps.redis.hkeys(deps.store.keys.appSetSources),
        ]);
        const chosen = chosenClusters(registered, filters);
        const names = chosen.map((c) => c.name);
        const [contacts, applications] = await Promise.all([
          deps.store.clusterContacts.get(names),
          readMatrixApplications(deps, names),
        ]);
        const now = Date.now();
        const matrix = fleetMatrix({
          generatedAt: new Date(now).toISOString(),
          clusters: chosen.map((cluster, i) => {
            const reachability = reachabilityOf({ cluster, contact: contacts[i], now }).status;
            return {
              column: {
                name: cluster.name,
                labels: cluster.labels,
                reachable: reachability === "Unknown" ? null : reachability === "Reachable",
              },
              applications: applications[i] ?? [],
            };
          }),
          knownAppSets: sources,
          ...(filters.appSets !== undefined && { appSets: filters.appSets }),
          ...(filters.sync !== undefined && { sync: filters.sync }),
          ...(filters.health !== undefined && { health: filters.health }),
        });
        request.log.debug(
          { columns: matrix.columns.length, rows: matrix.rows.length, applications: matrix.totals.applications },
          "fleet matrix",
        );
        return matrix;
      },
    );
  };
}
