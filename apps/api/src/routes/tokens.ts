import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { errorResponses } from "@flotilla/api-contract/schemas/common";
import { Scope, TokenName, TokenRecord, WhoAmISchema } from "@flotilla/api-contract/schemas/tokens";
import { Type } from "typebox";
import type { ApiDeps } from "../deps.ts";
import { conflict, notFound } from "../errors.ts";

/**
 * API tokens: made (the secret is in this one answer and nowhere else, ever), listed without secrets, revoked.
 * All admin: a read token must not be able to mint an admin one.
 */
export function tokenRoutes(deps: ApiDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/tokens",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "make a token; its secret is returned once",
          security: [{ bearer: [] }],
          body: Type.Object({ name: TokenName, scope: Scope }, { additionalProperties: false }),
          response: {
            201: Type.Object({ token: Type.String(), record: TokenRecord }, { additionalProperties: false }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const made = await deps.store.apiTokens.create(request.body);
        if (made === undefined) throw conflict(`a token named "${request.body.name}" exists; revoke it first`);
        request.log.info({ tokenName: made.record.name, scope: made.record.scope }, "token created");
        return reply.code(201).send(made);
      },
    );
    app.get(
      "/tokens",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "list tokens (never their secrets)",
          security: [{ bearer: [] }],
          response: { 200: Type.Object({ items: Type.Array(TokenRecord) }), ...errorResponses },
        },
      },
      async () => ({ items: await deps.store.apiTokens.list() }),
    );
    app.get(
      "/whoami",
      {
        config: { scope: "read" },
        schema: {
          tags: ["tokens"],
          summary: "who the bearer token is: its name and scope",
          security: [{ bearer: [] }],
          response: { 200: WhoAmISchema, ...errorResponses },
        },
      },
      async (request) => {
        // The auth hook sets it on every route with a scope; without it, answering would name nobody.
        if (request.principal === undefined) throw new Error("whoami reached without authentication");
        return request.principal;
      },
    );
    app.delete(
      "/tokens/:name",
      {
        config: { scope: "admin" },
        schema: {
          tags: ["tokens"],
          summary: "revoke a token; requests carrying it are refused from now on",
          security: [{ bearer: [] }],
          params: Type.Object({ name: TokenName }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!(await deps.store.apiTokens.revoke(request.params.name))) {
          throw notFound(`token "${request.params.name}"`);
        }
        request.log.info({ tokenName: request.params.name }, "token revoked");
        return reply.code(204).send(null);
      },
    );
  };
}
