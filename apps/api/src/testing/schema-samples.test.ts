import { describe, expect, it } from "vitest";
import { sampleOf, typesOf, wrongTypeFor } from "./schema-samples.ts";

describe("sampleOf", () => {
  it.each([
    { why: "a const", schema: { const: "x" }, sample: "x" },
    { why: "an enum", schema: { type: "string", enum: ["read", "admin"] }, sample: "read" },
    { why: "a union of literals", schema: { anyOf: [{ type: "string", enum: ["read"] }] }, sample: "read" },
    { why: "a default", schema: { type: "integer", default: 7 }, sample: 7 },
    { why: "a date-time", schema: { type: "string", format: "date-time" }, sample: "2026-01-01T00:00:00Z" },
    {
      why: "a DNS name pattern",
      schema: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" },
      sample: "sample",
    },
    { why: "a pattern only digits fit", schema: { type: "string", pattern: "^\\d+$" }, sample: "0" },
    { why: "a long minimum length", schema: { type: "string", minLength: 25 }, sample: "sample".padEnd(25, "a") },
    { why: "an integer minimum", schema: { type: "integer", minimum: 3 }, sample: 3 },
    {
      why: "an array with minItems",
      schema: { type: "array", minItems: 2, items: { type: "boolean" } },
      sample: [true, true],
    },
    {
      why: "an object: required members only",
      schema: {
        type: "object",
        required: ["name"],
        properties: { name: { type: "string" }, labels: { type: "object" } },
      },
      sample: { name: "sample" },
    },
  ])("$why", ({ schema, sample }) => {
    expect(sampleOf(schema)).toEqual(sample);
  });

  it("gives up (undefined) when a required member cannot be made, rather than guessing a body the API refuses", () => {
    const schema = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^Z{3}$" } } };
    expect(sampleOf(schema)).toBeUndefined();
  });
});

describe("typesOf and wrongTypeFor", () => {
  it.each([
    { schema: { type: "string" }, types: ["string"], wrong: 12345 },
    { schema: { type: "integer" }, types: ["integer"], wrong: "s3cr3t-wrong-type" },
    { schema: { type: "number" }, types: ["number"], wrong: "s3cr3t-wrong-type" },
    { schema: { anyOf: [{ type: "string" }, { type: "integer" }] }, types: ["string", "integer"], wrong: true },
    { schema: { type: "object", properties: {} }, types: ["object"], wrong: 12345 },
    { schema: { enum: ["a", "b"] }, types: ["string"], wrong: 12345 },
  ])("$types → $wrong", ({ schema, types, wrong }) => {
    expect(typesOf(schema)).toEqual(types);
    expect(wrongTypeFor(schema)).toEqual(wrong);
  });

  it("a schema admitting any value has no wrong type", () => {
    expect(typesOf({})).toEqual([]);
    expect(wrongTypeFor({ anyOf: [{ type: "string" }, {}] })).toBeUndefined();
  });
});
