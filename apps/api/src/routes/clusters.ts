import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ClusterForgottenSchema,
  ClusterParams,
  ClusterSchema,
  JoinSecretSchema,
  LabelsBody,
  RegisterBody,
  RegisterQuery,
  RemovalStartedSchema,
  RemoveQuery,
} from "@flotilla/api-contract/schemas/clusters";
import {
  ErrorSchema,
  errorResponses,
  PAGE_DESCRIPTION,
  PageNext,
  PageQuery,
} from "@flotilla/api-contract/schemas/common";
import { isClusterNotFoundError } from "@flotilla/store";
import { Type } from "typebox";
import { readClusterFacts } from "../clusters/cluster-facts.ts";
import { type ClusterView, clusterView } from "../clusters/cluster-view.ts";
import { checkLabels, mergeLabels } from "../clusters/labels.ts";
import { type JoinSecret, registerAgent, registerPool } from "../clusters/register-cluster.ts";
import { forgetCluster, startRemoval } from "../clusters/remove-cluster.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";
import { pageByName } from "../paging/name-page.ts";
import { pageOptions } from "../paging/page-query.ts";

const security = [{ bearer: [] }];

/**
 * Clusters: registered from a kubeconfig (pool) or for an agent (whose join secret is answered once), listed and
 * read with what serves them and how they are doing, relabelled by merge, removed through the deletion guard (or
 * forgotten, `orphan`). Never a credential in an answer but the join secret, never one in a log.
 */
export function clusterRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  const viewOf = async (name: string): Promise<ClusterView> => {
    const cluster = await deps.store.clusters.get(name);
    if (cluster === undefined) throw notFound(`cluster "${name}"`);
    const [facts] = await readClusterFacts(deps, [cluster]);
    return clusterView(facts!);
  };
  return async (app) => {
    app.post(
      "/clusters",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["clusters"],
          summary: "register a cluster: pool (a kubeconfig, stored encrypted) or agent (its join secret answered once)",
          security,
          querystring: RegisterQuery,
          body: RegisterBody,
          response: {
            201: Type.Object(
              { cluster: ClusterSchema, agent: Type.Optional(JoinSecretSchema) },
              { additionalProperties: false },
            ),
            ...errorResponses,
            503: ErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const log = request.log.child({ cluster: body.name });
        const overwrite = request.query.overwrite === true;
        let agent: JoinSecret | undefined;
        if (body.mode === "agent") {
          if (body.kubeconfig !== undefined) {
            throw badRequest(
              "body.kubeconfig: an agent-mode cluster keeps its credentials in the cluster; omit it",
              "body.kubeconfig",
            );
          }
          if (body.context !== undefined)
            throw badRequest("body.context: only with a kubeconfig (pool mode)", "body.context");
          agent = await registerAgent(deps, { ...body, mode: "agent" }, { overwrite });
        } else {
          if (body.kubeconfig === undefined) {
            throw badRequest('body.kubeconfig: required in pool mode (or set mode: "agent")', "body.kubeconfig");
          }
          if (body.server !== undefined) {
            throw badRequest(
              "body.server: a pool cluster's server is the one its kubeconfig context names; omit it",
              "body.server",
            );
          }
          await registerPool(deps, { ...body, kubeconfig: body.kubeconfig }, { overwrite });
        }
        log.info({ mode: body.mode ?? "pool", overwrite }, "cluster registered");
        const cluster = await viewOf(body.name);
        return reply.code(201).send(agent === undefined ? { cluster } : { cluster, agent });
      },
    );
    app.get(
      "/clusters",
      {
        config: { scope: "read" },
        schema: {
          tags: ["clusters"],
          summary: "list clusters with reachability, queue depth, who serves them and their Applications, by name",
          description: PAGE_DESCRIPTION,
          security,
          querystring: PageQuery,
          response: {
            200: Type.Object({ items: Type.Array(ClusterSchema), next: PageNext }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const page = pageByName(await deps.store.clusters.list(), (c) => c.name, pageOptions(request.query));
        const facts = await readClusterFacts(deps, page.items);
        return { items: facts.map(clusterView), ...(page.next !== undefined && { next: page.next }) };
      },
    );
    app.get(
      "/clusters/:name",
      {
        config: { scope: "read" },
        schema: {
          tags: ["clusters"],
          summary: "one cluster: labels, mode, server, reachability, heartbeat, queue depth, serving worker, removal",
          security,
          params: ClusterParams,
          response: { 200: ClusterSchema, ...errorResponses },
        },
      },
      async (request) => viewOf(request.params.name),
    );
    app.patch(
      "/clusters/:name/labels",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["clusters"],
          summary: "merge labels: set keys, remove keys (a relabel is a generation change, under the deletion guard)",
          security,
          params: ClusterParams,
          body: LabelsBody,
          response: { 200: ClusterSchema, ...errorResponses },
        },
      },
      async (request) => {
        const { name } = request.params;
        checkLabels(request.body.set ?? {}, "body.set");
        try {
          await deps.store.clusters.relabel(name, (current) => mergeLabels(current, request.body));
        } catch (err) {
          if (isClusterNotFoundError(err)) throw notFound(`cluster "${name}"`);
          throw err;
        }
        request.log.info(
          { cluster: name, set: Object.keys(request.body.set ?? {}), remove: request.body.remove ?? [] },
          "cluster relabelled",
        );
        return viewOf(name);
      },
    );
    app.delete(
      "/clusters/:name",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["clusters"],
          summary:
            "remove a cluster: its Applications are deleted from it through the deletion guard (202), or with orphan=true forgotten, their objects left on it (200)",
          security,
          params: ClusterParams,
          querystring: RemoveQuery,
          response: { 200: ClusterForgottenSchema, 202: RemovalStartedSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { name } = request.params;
        const log = request.log.child({ cluster: name });
        if (request.query.orphan === true) return reply.code(200).send(await forgetCluster(deps, name, log));
        return reply.code(202).send(await startRemoval(deps, name, log));
      },
    );
  };
}
