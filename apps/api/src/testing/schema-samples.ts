import type { JsonSchema } from "./operations.ts";

/**
 * Values made from a route's schema, for contract tests that must cover routes nobody listed: a sample a schema
 * accepts (so one hostile change to it is the only thing wrong), and a value of a type it refuses. Pure; a sample
 * is a best guess (a pattern may refuse every candidate), so callers check it with the real validator.
 */

const STRING_CANDIDATES = [
  "sample",
  "a",
  "a1",
  "dev",
  "2026-01-01T00:00:00Z",
  "http://127.0.0.1:1",
  "k=v",
  "10s",
  "read",
  "0",
];

const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  "date-time": "2026-01-01T00:00:00Z",
  date: "2026-01-01",
  uri: "http://127.0.0.1:1",
  url: "http://127.0.0.1:1",
  email: "ops@example.com",
  uuid: "00000000-0000-4000-8000-000000000000",
  hostname: "example.com",
};

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

/** A value the schema accepts, or undefined when none can be guessed. Only required properties are filled. */
export function sampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (schema === undefined || depth > 32) return undefined;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      for (const option of options as JsonSchema[]) {
        const value = sampleOf(option, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...(schema.allOf as JsonSchema[]).map((s) => sampleOf(s, depth + 1) ?? {}));
  }
  const type = typesOf(schema)[0];
  switch (type) {
    case "string":
      return stringSample(schema);
    case "integer":
    case "number":
      return numberSample(schema, type);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      if (min === 0) return [];
      const item = sampleOf(schema.items as JsonSchema | undefined, depth + 1);
      return item === undefined ? undefined : Array.from({ length: min }, () => item);
    }
    case "object":
      return objectSample(schema, depth);
    default:
      return undefined;
  }
}

/** The JSON types a schema admits; empty when it admits any value. */
export function typesOf(schema: JsonSchema): JsonType[] {
  const { type } = schema;
  if (typeof type === "string") return [type as JsonType];
  if (Array.isArray(type)) return type as JsonType[];
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const all = (options as JsonSchema[]).map(typesOf);
      // One option admitting anything makes the whole admit anything.
      return all.some((t) => t.length === 0) ? [] : [...new Set(all.flat())];
    }
  }
  if ("const" in schema) return [jsonTypeOf(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(jsonTypeOf))];
  if (schema.properties !== undefined || schema.required !== undefined) return ["object"];
  return [];
}

/** A value of a JSON type the schema refuses, or undefined when it admits every type. */
export function wrongTypeFor(schema: JsonSchema): unknown {
  const allowed = new Set(typesOf(schema));
  if (allowed.size === 0) return undefined;
  if (allowed.has("number")) allowed.add("integer");
  const candidates: [JsonType, unknown][] = [
    ["integer", 12345],
    ["string", "s3cr3t-wrong-type"],
    ["boolean", true],
    ["array", ["s3cr3t-in-array"]],
    ["object", { nested: "s3cr3t-in-object" }],
    ["null", null],
  ];
  return candidates.find(([type]) => !allowed.has(type))?.[1];
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

function stringSample(schema: JsonSchema): string | undefined {
  const format = typeof schema.format === "string" ? FORMAT_SAMPLES[schema.format] : undefined;
  const candidates = format !== undefined ? [format, ...STRING_CANDIDATES] : STRING_CANDIDATES;
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const fits = (s: string) => s.length >= min && s.length <= max && (pattern === undefined || pattern.test(s));
  return candidates.find(fits) ?? candidates.map((c) => c.padEnd(min, "a")).find(fits);
}

function numberSample(schema: JsonSchema, type: "integer" | "number"): number {
  const min = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : undefined;
  const value = exclusive ?? min ?? 1;
  return type === "integer" ? Math.ceil(value) : value;
}

function objectSample(schema: JsonSchema, depth: number): Record<string, unknown> | undefined {
  const properties = (schema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of required) {
    const value = sampleOf(properties[name], depth + 1);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}
