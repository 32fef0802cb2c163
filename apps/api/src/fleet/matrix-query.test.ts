import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { matrixFilters } from "./matrix-query.ts";

function refusal(query: Parameters<typeof matrixFilters>[0]): ApiError {
  try {
    matrixFilters(query);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("matrixFilters", () => {
  it("decodes comma-separated lists, trimming spaces, and passes the selector on", () => {
    expect(
      matrixFilters({
        appSet: "guestbook, shop",
        cluster: "dev,prod.eu-west",
        selector: "env=prod",
        sync: "OutOfSync,Unknown",
        health: "Degraded",
      }),
    ).toEqual({
      appSets: new Set(["guestbook", "shop"]),
      clusters: new Set(["dev", "prod.eu-west"]),
      selector: "env=prod",
      sync: new Set(["OutOfSync", "Unknown"]),
      health: new Set(["Degraded"]),
    });
    expect(matrixFilters({})).toEqual({});
  });

  it.each([
    [{ sync: "Synced,Bogus" }, "query.sync", 'entry 2 "Bogus": expected one of Synced, OutOfSync, Error, Unknown'],
    [{ sync: "synced" }, "query.sync", "expected one of"],
    [{ health: "Healthy,,Degraded" }, "query.health", 'entry 2 "": expected a name, found an empty entry'],
    [{ health: "__proto__" }, "query.health", "expected one of Healthy, Progressing, Degraded, Missing, Unknown"],
    [{ cluster: "dev,Prod" }, "query.cluster", 'entry 2 "Prod": expected lower-case letters'],
    [{ cluster: "../etc" }, "query.cluster", "expected lower-case letters"],
    [{ cluster: "" }, "query.cluster", "empty entry"],
    [{ appSet: "a,b:c" }, "query.appSet", 'entry 2 "b:c"'],
    [{ appSet: `${"x".repeat(254)}` }, "query.appSet", "expected at most 253"],
    [
      { cluster: Array.from({ length: 1001 }, (_, i) => `c${i}`).join(",") },
      "query.cluster",
      "1001 entries; at most 1000",
    ],
  ])("refuses %j with a 400 naming %s", (query, field, words) => {
    const error = refusal(query);
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toContain(words);
  });
});
