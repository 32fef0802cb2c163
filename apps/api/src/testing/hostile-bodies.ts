import type { JsonSchema } from "./operations.ts";
import { typesOf, wrongTypeFor } from "./schema-samples.ts";

/** In every string a hostile body carries: one search of responses and logs finds any echo. */
export const HOSTILE_MARK = "s3cr3t-hostile";

/** One hostile request body, and what the API must answer. */
export interface HostileBody {
  /** Says what is wrong with it, for the test's name. */
  why: string;
  payload: string;
  contentType: string;
  /** The exact status, where there is one right answer; otherwise any 4xx. */
  status?: number;
  /** The field the answer must name, where one applies. */
  field?: string;
}

export interface HostileBodiesOptions {
  /** The body schema, dereferenced. */
  schema: JsonSchema;
  /** A body the schema accepts, when one could be made: then each hostile change is the only fault. */
  valid: Record<string, unknown> | undefined;
  /** The API's body limit; the oversized body is twice as big. */
  bodyLimit: number;
  /** How deep the nesting body goes. @defaultValue 10,000 */
  depth?: number;
}

const JSON_TYPE = "application/json";
const UNKNOWN_FIELD = "flotillaUnknownField";

/**
 * The bodies every operation that takes JSON must refuse with a 4xx (never a 500), naming the field where one is
 * at fault: an unknown field, a wrong type for each property, `__proto__` and `constructor.prototype` keys, deep
 * nesting, an oversized body, text that is not JSON, an empty body, an array for an object, a non-JSON type.
 */
export function hostileBodies(options: HostileBodiesOptions): HostileBody[] {
  const { schema, valid, bodyLimit } = options;
  const depth = options.depth ?? 10_000;
  const base = valid ?? {};
  const objectBody = typesOf(schema).includes("object");
  const properties = (schema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
  const named = (field: string) => (valid !== undefined ? { field } : {});
  const json = (value: unknown) => JSON.stringify(value);
  const bodies: HostileBody[] = [
    {
      why: "a body that is not JSON",
      payload: `{"name": ${HOSTILE_MARK}`,
      contentType: JSON_TYPE,
      status: 400,
    },
    { why: "an empty body", payload: "", contentType: JSON_TYPE, status: 400 },
    { why: "a text body", payload: `name=${HOSTILE_MARK}`, contentType: "text/plain", status: 415 },
    {
      why: "a form body",
      payload: `name=${HOSTILE_MARK}`,
      contentType: "application/x-www-form-urlencoded",
      status: 415,
    },
    {
      why: "a body over the limit",
      payload: json({ ...base, pad: HOSTILE_MARK.repeat(Math.ceil((2 * bodyLimit) / HOSTILE_MARK.length)) }),
      contentType: JSON_TYPE,
      status: 413,
    },
    {
      why: `nesting ${depth} levels deep`,
      payload: `${'{"a":'.repeat(depth)}"${HOSTILE_MARK}"${"}".repeat(depth)}`,
      contentType: JSON_TYPE,
    },
    {
      why: `arrays nested ${depth} levels deep`,
      payload: `${"[".repeat(depth)}"${HOSTILE_MARK}"${"]".repeat(depth)}`,
      contentType: JSON_TYPE,
    },
    {
      why: "a __proto__ key",
      payload: withMember(base, "__proto__", `{"admin":true,"x":"${HOSTILE_MARK}"}`),
      contentType: JSON_TYPE,
      status: 400,
    },
    {
      why: "a constructor.prototype key",
      payload: withMember(base, "constructor", '{"prototype":{"admin":true}}'),
      contentType: JSON_TYPE,
      status: 400,
    },
  ];
  if (!objectBody) return bodies;
  bodies.push(
    { why: "an array for an object", payload: json([base]), contentType: JSON_TYPE, status: 400, field: "body" },
    { why: "a string for an object", payload: json(HOSTILE_MARK), contentType: JSON_TYPE, status: 400, field: "body" },
    { why: "null for an object", payload: "null", contentType: JSON_TYPE, status: 400 },
  );
  if (schema.additionalProperties === false) {
    bodies.push({
      why: "an unknown field",
      payload: json({ ...base, [UNKNOWN_FIELD]: HOSTILE_MARK }),
      contentType: JSON_TYPE,
      status: 400,
      ...named(`body.${UNKNOWN_FIELD}`),
    });
  }
  for (const [name, property] of Object.entries(properties)) {
    const wrong = wrongTypeFor(property);
    if (wrong !== undefined) {
      bodies.push({
        why: `a wrong type for ${name}`,
        payload: json({ ...base, [name]: wrong }),
        contentType: JSON_TYPE,
        status: 400,
        ...named(`body.${name}`),
      });
    }
    bodies.push({
      why: `${name} nested ${depth} levels deep`,
      payload: withMember(base, name, `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
      contentType: JSON_TYPE,
    });
  }
  return bodies;
}

/** `base` as JSON text with `key` set to the raw JSON `value` (a key JSON.stringify would not write, or a depth it could not). */
function withMember(base: Record<string, unknown>, key: string, value: string): string {
  const rest = Object.entries(base)
    .filter(([k]) => k !== key)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{${[`${JSON.stringify(key)}:${value}`, ...rest].join(",")}}`;
}
