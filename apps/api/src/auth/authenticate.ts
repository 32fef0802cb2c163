import { type ApiPrincipal, type ApiScope, type ApiTokenStore, sameDigest, tokenDigest } from "@flotilla/store";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors.ts";

/** The bootstrap admin token's name in logs and `token list`; it is configured, not stored. */
export const BOOTSTRAP_TOKEN_NAME = "bootstrap";

export interface AuthOptions {
  tokens: Pick<ApiTokenStore, "authenticate">;
  /** SHA-256 of the bootstrap admin token (from a file or the environment), if one is configured. */
  bootstrapDigest?: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a route needs; a route without one is public (probes, the OpenAPI document, metrics). */
    scope?: ApiScope;
  }
  interface FastifyRequest {
    /** Who made the request, once authenticated. */
    principal?: ApiPrincipal;
  }
}

/** Admin can do whatever read can. */
const grants = (held: ApiScope, needed: ApiScope) => held === "admin" || needed === "read";

/**
 * The onRequest hook: a route that names a scope needs a bearer token carrying it. No token or an unknown one is
 * 401; a valid token without the scope is 403. The token itself is never logged or echoed.
 */
export function authenticate(options: AuthOptions) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const needed = request.routeOptions.config.scope;
    if (needed === undefined) return;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      throw new ApiError({
        status: 401,
        code: "Unauthorized",
        message: "this route needs a bearer token (Authorization: Bearer <token>)",
      });
    }
    const principal = await identify(token, options);
    if (principal === undefined) {
      throw new ApiError({ status: 401, code: "Unauthorized", message: "the bearer token is unknown or revoked" });
    }
    if (!grants(principal.scope, needed)) {
      throw new ApiError({
        status: 403,
        code: "Forbidden",
        message: `token "${principal.name}" has scope ${principal.scope}; this route needs ${needed}`,
      });
    }
    request.principal = principal;
  };
}

async function identify(token: string, options: AuthOptions): Promise<ApiPrincipal | undefined> {
  if (options.bootstrapDigest !== undefined && sameDigest(tokenDigest(token), options.bootstrapDigest)) {
    return { name: BOOTSTRAP_TOKEN_NAME, scope: "admin" };
  }
  return options.tokens.authenticate(token);
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
