import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DASHBOARD_BUILD_COMMAND, DASHBOARD_DIST_DIR, PAGE_PREFIXES } from "@flotilla/dashboard";
import { observeRequests, type Registry, serveMetrics } from "@flotilla/metrics";
import Fastify, { type FastifyError, type FastifyInstance, type RouteOptions } from "fastify";
import { type AuthOptions, authenticate } from "./auth/authenticate.ts";
import { compress, compressionOptions } from "./compression.ts";
import { dashboardRoutes } from "./dashboard/serve-dashboard.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError, type ErrorBody } from "./errors.ts";
import { apiRoutes } from "./routes/index.ts";
import { probeRoutes } from "./routes/probes.ts";
import { fieldOf, validationMessage, validatorCompiler } from "./validation.ts";

export interface ApiServerOptions {
  deps: ApiDeps;
  auth: AuthOptions;
  /** Largest accepted body; ApplicationSet files for diff and preview are the big ones. @defaultValue 1 MiB */
  bodyLimit?: number;
  /** Read at each `/readyz`; ready when all are true. @defaultValue Redis answers */
  readiness?: () => Readonly<Record<string, boolean>>;
  /**
   * Served at `/metrics` (public, like the probes), with every request's duration by method, route and status.
   * @defaultValue no `/metrics`, requests not timed
   */
  metrics?: Registry;
  /** The dashboard's build output, served at `/`. @defaultValue apps/dashboard/dist of this checkout */
  dashboardDir?: string;
  /** Told of every route as it is registered (the contract tests compare them with the OpenAPI document). */
  onRoute?: (route: RouteOptions) => void;
}

/** Largest accepted body unless a server is given another: ApplicationSet files fit many times over. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The version every route lives under; a breaking change gets a new one beside it. */
export const API_PREFIX = "/api/v1";

/**
 * The HTTP API: every route has a schema (the OpenAPI document at `/openapi.json` is generated from them), every
 * route under /api/v1 needs a token with the scope it names, and every refusal is a 4xx whose body names the
 * field at fault — never a 500 for a bad request.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const { deps } = options;
  const app = Fastify({
    loggerInstance: deps.log.child({ component: "api" }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // A request id of our own; one sent by a client is not trusted into logs.
    genReqId: () => crypto.randomUUID(),
    // secure-json-parse: a `__proto__` or `constructor.prototype` key refuses the body (400), never reaches code.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
  }).withTypeProvider<TypeBoxTypeProvider>();
  const { onRoute } = options;
  if (onRoute !== undefined) app.addHook("onRoute", (route) => onRoute(route as RouteOptions));

  // JSON only: a text body is refused as such (415) rather than failing validation with a puzzling message.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler());
  app.setSchemaErrorFormatter((errors, dataVar) => new Error(validationMessage(errors, dataVar)));
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const { status, body } = errorReply(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ status, error: body.error, field: body.field }, "request refused");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: "NotFound",
      message: `no route ${request.method} ${request.url.split("?")[0]}`,
    } satisfies ErrorBody),
  );

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Flotilla API",
        version: "v1",
        description: "Register clusters, see and act on the fleet: ApplicationSets, Applications, tokens.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
  });
  app.addHook("onRequest", authenticate(options.auth));
  // Before the routes: the plugin attaches itself to each route as it is registered.
  await app.register(compress, compressionOptions);
  if (options.metrics !== undefined) {
    observeRequests(app, options.metrics);
    serveMetrics(app, options.metrics);
  }

  const readiness = options.readiness ?? (() => ({ redis: deps.redis.status === "ready" }));
  await app.register(probeRoutes({ readiness }));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(apiRoutes(deps), { prefix: API_PREFIX });
  await app.register(
    dashboardRoutes({
      dir: options.dashboardDir ?? DASHBOARD_DIST_DIR,
      pagePrefixes: PAGE_PREFIXES,
      buildCommand: DASHBOARD_BUILD_COMMAND,
    }),
  );
  // The type provider matters inside route files only; callers listen, inject and close.
  return app as unknown as FastifyInstance;
}

function errorReply(error: FastifyError | ApiError): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: { error: error.code, message: error.message, ...(error.field !== undefined && { field: error.field }) },
    };
  }
  if (error.validation !== undefined) {
    const first = error.validation[0];
    const context = error.validationContext ?? "body";
    const field = first === undefined ? context : fieldOf(context, first);
    return { status: 400, body: { error: "BadRequest", message: error.message, field } };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own refusals: a body too large (413), not JSON (400), a poisoned prototype (400), a wrong type (415).
    return { status, body: { error: clientErrorCode(status), message: error.message } };
  }
  // The details of an unexpected failure stay in the log; the client learns only that it happened.
  return { status: 500, body: { error: "Internal", message: "internal error; the API's log has the details" } };
}

function clientErrorCode(status: number): string {
  switch (status) {
    case 413:
      return "PayloadTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 404:
      return "NotFound";
    default:
      return "BadRequest";
  }
}
