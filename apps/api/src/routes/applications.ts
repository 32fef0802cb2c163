import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AppDetailSchema,
  AppPageSchema,
  AppParams,
  AppSetQuery,
  HealthStatusSchema,
  HistoryPageSchema,
  RefreshAnswerSchema,
  RevisionAtSchema,
  SyncAnswerSchema,
  SyncStatusSchema,
} from "@flotilla/api-contract/schemas/applications";
import { ClusterName, errorResponses, ObjectName } from "@flotilla/api-contract/schemas/common";
import type { Application } from "@flotilla/core";
import { type AppRef, type HistoryEntry, requestRefresh, requestSync } from "@flotilla/status";
import { storeKeys } from "@flotilla/store";
import { Type } from "typebox";
import { detailOf, summaryOf } from "../applications/detail.ts";
import { listApplications } from "../applications/list.ts";
import { decodeCursor } from "../applications/page.ts";
import { resolveApp } from "../applications/resolve.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, notFound } from "../errors.ts";

const tags = ["applications"];
const security = [{ bearer: [] }];

/** The Application as stored, if its ApplicationSet generates it for this cluster. */
async function specOf(deps: ApiDeps, ref: AppRef): Promise<Application | undefined> {
  const app = await deps.store.applications.get(ref.appSet, ref.application);
  return app?.spec.destination.cluster === ref.cluster ? app : undefined;
}

const historyEntry = (e: HistoryEntry) => ({ ...e, at: new Date(e.at).toISOString() });

/**
 * Applications: listed with filters and pages, read in full (status, spec, conditions, desired vs live), synced
 * on request (a manual one only then), refreshed, and their history asked what ran when.
 */
export function applicationRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  const keys = storeKeys(deps.prefix);
  return async (app) => {
    app.get(
      "/applications",
      {
        config: { scope: "read" },
        schema: {
          tags,
          summary: "list Applications (summaries), ordered by cluster, ApplicationSet and name",
          security,
          querystring: Type.Object(
            {
              appset: Type.Optional(ObjectName),
              cluster: Type.Optional(Type.Array(ClusterName, { maxItems: 1000, description: "repeatable" })),
              sync: Type.Optional(SyncStatusSchema),
              health: Type.Optional(HealthStatusSchema),
              limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
              cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: "`next` of a page" })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: AppPageSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
        if (q.cursor !== undefined && after === undefined) {
          throw badRequest(
            "query.cursor: not a cursor this API gave; pass the `next` of a previous page",
            "query.cursor",
          );
        }
        const page = await listApplications(
          { status: deps.status, clusterNames: () => deps.redis.hkeys(keys.clusters) },
          {
            filter: {
              clusters: q.cluster ?? [],
              ...(q.appset !== undefined && { appSet: q.appset }),
              ...(q.sync !== undefined && { sync: q.sync }),
              ...(q.health !== undefined && { health: q.health }),
            },
            limit: q.limit,
            ...(after !== undefined && { after }),
          },
        );
        return { items: page.items.map(summaryOf), ...(page.next !== undefined && { next: page.next }) };
      },
    );

    app.get(
      "/applications/:cluster/:application",
      {
        config: { scope: "read" },
        schema: {
          tags,
          summary: "one Application on one cluster: status, resources, conditions, spec, desired vs live",
          security,
          params: AppParams,
          querystring: AppSetQuery,
          response: { 200: AppDetailSchema, ...errorResponses },
        },
      },
      async (request) => {
        const ref = await resolveApp(deps.status, { ...request.params, appSet: request.query.appset });
        const [status, spec, pending] = await Promise.all([
          deps.status.get(ref),
          specOf(deps, ref),
          deps.status.requests.pending(ref),
        ]);
        if (status === undefined && spec === undefined) {
          throw notFound(
            `Application "${ref.application}" of ApplicationSet "${ref.appSet}" on cluster "${ref.cluster}"`,
          );
        }
        return detailOf({ ref, status, spec, request: pending });
      },
    );

    app.post(
      "/applications/:cluster/:application/sync",
      {
        config: { scope: "admin" },
        schema: {
          tags,
          summary: "sync now (a manual Application is applied only so); prune deletes what left Git",
          security,
          params: AppParams,
          querystring: AppSetQuery,
          body: Type.Object({ prune: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: {
            202: SyncAnswerSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ref = await resolveApp(deps.status, { ...request.params, appSet: request.query.appset });
        const prune = request.body?.prune;
        const outcome = await requestSync(
          { status: deps.status, store: deps.store, queues: deps.queues },
          { ...ref, ...(prune !== undefined && { prune }) },
        );
        if (outcome === undefined) throw notGenerated(ref);
        const log = request.log.child({ cluster: ref.cluster, appset: ref.appSet, app: ref.application });
        log.info({ prune: prune === true, automated: outcome.automated }, "sync requested");
        return reply.code(202).send({
          ...ref,
          automated: outcome.automated,
          desiredDigest: outcome.desiredDigest,
          ...(outcome.request !== undefined && { request: outcome.request }),
        });
      },
    );

    app.post(
      "/applications/:cluster/:application/refresh",
      {
        config: { scope: "admin" },
        schema: {
          tags,
          summary: "re-check now: compare with the cluster (an automated one then syncs) and read Git again",
          security,
          params: AppParams,
          querystring: AppSetQuery,
          response: {
            202: RefreshAnswerSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ref = await resolveApp(deps.status, { ...request.params, appSet: request.query.appset });
        const target = { status: deps.status, store: deps.store, queues: deps.queues };
        const outcome = await requestRefresh(target, ref);
        if (outcome === undefined) throw notGenerated(ref);
        const spec = await specOf(deps, ref);
        const repoURLs = spec === undefined ? [] : [spec.spec.source.repoURL];
        await deps.redis.publish(
          keys.generatorTrigger,
          JSON.stringify({ reason: `refresh of ${ref.application} on ${ref.cluster}`, repoURLs }),
        );
        const log = request.log.child({ cluster: ref.cluster, appset: ref.appSet, app: ref.application });
        log.info({ enqueued: outcome.enqueued }, "refresh requested");
        return reply.code(202).send({ ...ref, ...outcome, generatorCycle: true });
      },
    );

    app.get(
      "/applications/:cluster/:application/history",
      {
        config: { scope: "read" },
        schema: {
          tags,
          summary: "the syncs of an Application on a cluster, newest first; with `at`, which revision ran then",
          security,
          params: AppParams,
          querystring: Type.Object(
            {
              appset: Type.Optional(ObjectName),
              limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
              at: Type.Optional(Type.String({ format: "date-time", description: "ISO-8601 with a time zone" })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Union([HistoryPageSchema, RevisionAtSchema]),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ref = await resolveApp(deps.status, { ...request.params, appSet: request.query.appset });
        if (request.query.at !== undefined) {
          const time = Date.parse(request.query.at);
          const entry = await deps.status.entryAt(ref, time);
          return {
            ...ref,
            at: new Date(time).toISOString(),
            revision: entry?.revision ?? null,
            ...(entry !== undefined && { since: new Date(entry.at).toISOString() }),
          };
        }
        return { items: (await deps.status.history(ref, request.query.limit)).map(historyEntry) };
      },
    );
  };
}

const notGenerated = (ref: AppRef) =>
  notFound(`Application "${ref.application}" of ApplicationSet "${ref.appSet}" generated for cluster "${ref.cluster}"`);
