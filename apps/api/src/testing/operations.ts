import type { RouteOptions } from "fastify";

/** A JSON Schema as the OpenAPI document carries it (the TypeBox schemas of the routes, serialized). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The part of an OpenAPI 3 document the contract tests read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  components?: { securitySchemes?: Readonly<Record<string, unknown>> };
}

export interface OpenApiOperation {
  summary?: string;
  tags?: readonly string[];
  security?: readonly Readonly<Record<string, readonly string[]>>[];
  parameters?: readonly { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Readonly<Record<string, { schema?: JsonSchema }>> };
  responses?: Readonly<
    Record<string, { description?: string; content?: Readonly<Record<string, { schema?: JsonSchema }>> }>
  >;
}

/** One documented operation: `POST /api/v1/tokens`, with what the document says of it. */
export interface DocumentedOperation {
  method: string;
  /** The OpenAPI path, `{name}` style. */
  path: string;
  operation: OpenApiOperation;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export function documentedOperations(doc: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** `/api/v1/clusters/:name` → `/api/v1/clusters/{name}`, as @fastify/swagger writes it. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** A registered route, one row per method. */
export interface RegisteredRoute {
  method: string;
  path: string;
  /** The scope the route's config declares; undefined is a public route. */
  scope: string | undefined;
}

/**
 * The routes a client can call and the document must describe: hidden routes (the document itself) are left out,
 * and so are the HEAD twins Fastify adds to every GET (a HEAD answers as its GET does).
 */
export function registeredRoutes(routes: readonly RouteOptions[]): RegisteredRoute[] {
  const rows = routes
    .filter((r) => (r.schema as { hide?: boolean } | undefined)?.hide !== true)
    .flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((method: string) => ({
        method: method.toUpperCase(),
        path: openApiPath(r.url),
        scope: (r.config as { scope?: string } | undefined)?.scope,
      })),
    );
  const gets = new Set(rows.filter((r) => r.method === "GET").map((r) => r.path));
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if ((r.method === "HEAD" && gets.has(r.path)) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** POST, PUT, PATCH, DELETE: the methods that change state unless a route says it only reads. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The JSON body schema of an operation, if it takes one. */
export function bodySchema(operation: OpenApiOperation): JsonSchema | undefined {
  return operation.requestBody?.content?.["application/json"]?.schema;
}

/**
 * A URL for the operation: each path parameter and each required query parameter filled with a value its schema
 * accepts (`sample`), URL-encoded as the CLI sends names.
 */
export function operationUrl(
  documented: DocumentedOperation,
  sample: (schema: JsonSchema | undefined) => unknown,
): string {
  const parameters = documented.operation.parameters ?? [];
  const value = (name: string, where: string) => {
    const parameter = parameters.find((p) => p.name === name && p.in === where);
    return String(sample(parameter?.schema) ?? "sample");
  };
  const path = documented.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name, "path")));
  const query = new URLSearchParams();
  for (const p of parameters) if (p.in === "query" && p.required === true) query.append(p.name, value(p.name, "query"));
  const text = query.toString();
  return text === "" ? path : `${path}?${text}`;
}
