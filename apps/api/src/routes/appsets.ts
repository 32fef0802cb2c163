import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AppSetDetailSchema,
  AppSetSummarySchema,
  DiffResponseSchema,
  HoldDecisionResponseSchema,
  PostedFilesSchema,
  PreviewResponseSchema,
} from "@flotilla/api-contract/schemas/appsets";
import {
  errorResponses,
  ObjectName,
  PAGE_DESCRIPTION,
  PageNext,
  PageQuery,
} from "@flotilla/api-contract/schemas/common";
import type { HoldDecision, HoldRecord } from "@flotilla/store";
import { Type } from "typebox";
import { diffPosted, previewPosted } from "../appsets/dry-run.ts";
import { readPostedFiles } from "../appsets/posted-files.ts";
import { detailOf, summaryOf } from "../appsets/views.ts";
import type { ApiDeps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { pageByName } from "../paging/name-page.ts";
import { pageOptions } from "../paging/page-query.ts";

const NameParams = Type.Object({ name: ObjectName }, { additionalProperties: false });

/**
 * ApplicationSets: what the generator last made of each (list, get), what a file would make of them (diff and
 * preview, against the live registry and the stored generation; nothing is stored), and an operator's answer to
 * a held deletion (release, dismiss), carried out by the generator's next cycle.
 */
export function appSetRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  const { store } = deps;
  const dryRun = {
    store,
    repos: deps.repos,
    ...(deps.maxPreviewApplications !== undefined && { maxApplications: deps.maxPreviewApplications }),
  };
  return async (app) => {
    app.get(
      "/appsets",
      {
        config: { scope: "read" },
        schema: {
          tags: ["appsets"],
          summary: "every ApplicationSet by name: file, commit, last generation, counts, held deletions, errors",
          description: PAGE_DESCRIPTION,
          security: [{ bearer: [] }],
          querystring: PageQuery,
          response: {
            200: Type.Object(
              { items: Type.Array(AppSetSummarySchema), next: PageNext },
              { additionalProperties: false },
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const options = pageOptions(request.query);
        const [records, sources, holds] = await Promise.all([
          store.generations.listGenerations(),
          store.appSetSources.list(),
          store.holds.list(),
        ]);
        const page = pageByName(records, (r) => r.appSet, options);
        const holdOf = new Map(holds.map((h) => [h.appSet, h]));
        const items = page.items.map((record) => {
          const source = sources.get(record.appSet);
          const hold = holdOf.get(record.appSet);
          return summaryOf({ record, ...(source !== undefined && { source }), ...(hold !== undefined && { hold }) });
        });
        return { items, ...(page.next !== undefined && { next: page.next }) };
      },
    );

    app.get(
      "/appsets/:name",
      {
        config: { scope: "read" },
        schema: {
          tags: ["appsets"],
          summary: "one ApplicationSet: its spec, file, commit, last generation with element errors, and its hold",
          security: [{ bearer: [] }],
          params: NameParams,
          response: { 200: AppSetDetailSchema, ...errorResponses },
        },
      },
      async (request) => {
        const { name } = request.params;
        const record = await store.generations.getGeneration(name);
        if (record === undefined) throw notFound(`ApplicationSet "${name}"`);
        const [source, hold, decisions, dismissed, rollout] = await Promise.all([
          store.appSetSources.get(name),
          store.holds.get(name),
          store.holds.decisions(),
          store.holds.dismissed(name),
          store.rollouts.get(name),
        ]);
        const decision = decisions.get(name);
        const detail = detailOf({
          record,
          dismissed,
          ...(source !== undefined && { source }),
          ...(hold !== undefined && { hold }),
          ...(decision !== undefined && { decision }),
        });
        // A RollingSync ApplicationSet's rollout: its steps with their state and Applications (see routes/rollout.ts).
        return rollout === undefined ? detail : { ...detail, rollout };
      },
    );

    app.post(
      "/appsets/diff",
      {
        config: { scope: "read" },
        schema: {
          tags: ["appsets"],
          summary: "the creates, updates and deletes a generation of the posted ApplicationSets would make (dry run)",
          description:
            "Generates the posted ApplicationSets against the live cluster registry and Git, and compares the result " +
            "with the stored Applications using the generator's own diff and deletion guard. Nothing is stored.",
          security: [{ bearer: [] }],
          body: PostedFilesSchema,
          response: { 200: DiffResponseSchema, ...errorResponses },
        },
      },
      async (request) => {
        const posted = readPostedFiles(request.body.files);
        const items = await diffPosted(dryRun, posted);
        request.log.info({ appsets: items.map((i) => i.appSet) }, "appset diff");
        return { items };
      },
    );

    app.post(
      "/appsets/preview",
      {
        config: { scope: "read" },
        schema: {
          tags: ["appsets"],
          summary: "the Applications the posted ApplicationSets produce against the live registry (nothing stored)",
          security: [{ bearer: [] }],
          body: PostedFilesSchema,
          response: { 200: PreviewResponseSchema, ...errorResponses },
        },
      },
      async (request) => {
        const posted = readPostedFiles(request.body.files);
        const items = await previewPosted(dryRun, posted);
        request.log.info({ appsets: items.map((i) => i.appSet) }, "appset preview");
        return { items };
      },
    );

    for (const action of ["release", "dismiss"] as const) {
      app.post(
        `/appsets/:name/${action}`,
        {
          config: { scope: "admin" },
          schema: {
            tags: ["appsets"],
            summary:
              action === "release"
                ? "release a held deletion: the generator's next cycle deletes exactly the Applications held now"
                : "dismiss a held deletion: the held Applications are kept and the hold is dropped",
            security: [{ bearer: [] }],
            params: NameParams,
            response: { 200: HoldDecisionResponseSchema, ...errorResponses },
          },
        },
        async (request) => {
          const { name } = request.params;
          const hold = await store.holds.get(name);
          const decision = hold && (await store.holds[action](name));
          if (hold === undefined || decision === undefined) {
            const known = (await store.generations.getGeneration(name)) !== undefined;
            throw known
              ? notFound(`a held deletion of ApplicationSet "${name}"`)
              : notFound(`ApplicationSet "${name}"`);
          }
          const answer = decisionAnswer(hold, decision);
          request.log
            .child({ appset: name })
            .warn(
              { by: request.principal?.name, action, kind: hold.kind, applications: answer.applications.length },
              `held deletion ${action === "release" ? "released" : "dismissed"}`,
            );
          return answer;
        },
      );
    }
  };
}

function decisionAnswer(hold: HoldRecord, decision: HoldDecision) {
  const clusterOf = new Map(hold.applications.map((a) => [a.application, a.cluster]));
  const applications = decision.applications.map((application) => {
    const cluster = clusterOf.get(application);
    return { application, ...(cluster !== undefined && { cluster }) };
  });
  const n = applications.length;
  const next = "by the generator's next cycle";
  const message =
    decision.action === "release"
      ? hold.kind === "removed"
        ? `${n} Application(s) of the removed ApplicationSet will be deleted ${next}; then it is forgotten`
        : `${n} Application(s) will be deleted ${next}`
      : hold.kind === "removed"
        ? `${n} Application(s) will be kept on their clusters and forgotten ${next}, with the removed ApplicationSet; nothing is deleted`
        : `${n} Application(s) will be kept ${next}; nothing is deleted and they are not held again as they are`;
  return { appSet: hold.appSet, action: decision.action, kind: hold.kind, applications, at: decision.at, message };
}
