import { Ajv, type ErrorObject } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/**
 * Two validators. Bodies are JSON and are checked as sent: no coercion (`"replicas": "3"` is a type error), no
 * silent removal of unknown fields (schemas say additionalProperties: false, and an unknown field is refused by
 * name). Query strings and path parameters are text by nature, so their numbers and booleans are coerced.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const common = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false } as const;
  const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...common, coerceTypes: "array" }));
  return ({ schema, httpPart }) => (httpPart === "body" ? bodies : text).compile(schema as object);
}

/** A validation failure in a person's words: which field, what was expected. */
export function validationMessage(errors: readonly Partial<ErrorObject>[], dataVar: string): string {
  const first = errors[0];
  if (first === undefined) return `${partName(dataVar)} is invalid`;
  const field = fieldOf(dataVar, first);
  const extra = first.params?.additionalProperty;
  if (typeof extra === "string") return `${field}: unknown field "${extra}"`;
  return `${field}: ${first.message ?? "is invalid"}`;
}

/** `body.labels.env` for Ajv's `/labels/env` in the body; a missing property is named, not its parent. */
export function fieldOf(dataVar: string, error: Partial<ErrorObject>): string {
  const parts = (error.instancePath ?? "").split("/").filter((p) => p !== "");
  const missing = error.params?.missingProperty;
  if (typeof missing === "string") parts.push(missing);
  const extra = error.params?.additionalProperty;
  if (typeof extra === "string") parts.push(extra);
  return [partName(dataVar), ...parts.map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))].join(".");
}

/** Fastify calls the query string `querystring`; a client knows it as the query (`query.limit`). */
function partName(dataVar: string): string {
  return dataVar === "querystring" ? "query" : dataVar;
}
