import { describe, expect, it } from "vitest";
import { clusterNameProblem, isClusterName } from "./names.ts";
import { clusterSchema } from "./schema.ts";

describe("the cluster-name rule", () => {
  it.each(["prod", "prod-eu", "eu-1.prod.example.com", "a", "0", "a".repeat(253)])("accepts %s", (name) => {
    expect(clusterNameProblem(name)).toBeUndefined();
    expect(isClusterName(name)).toBe(true);
    expect(clusterSchema.safeParse({ name, server: "https://x" }).success).toBe(true);
  });

  it.each([
    ["empty", "", "must not be empty"],
    ["upper case", "Prod", "expected lower-case letters"],
    ["a colon", "prod:eu", "expected lower-case letters"],
    ["an underscore", "prod_eu", "expected lower-case letters"],
    ["an empty part between dots", "prod..eu", "expected lower-case letters"],
    ["a part starting with a dash", "prod.-eu", "expected lower-case letters"],
    ["a trailing dot", "prod.", "expected lower-case letters"],
    ["254 characters", "a".repeat(254), "is 254 characters; expected at most 253"],
  ])("refuses a name with %s, in the schema too", (_, name, problem) => {
    expect(clusterNameProblem(name)).toContain(problem);
    expect(isClusterName(name)).toBe(false);
    const parsed = clusterSchema.safeParse({ name, server: "https://x" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(problem);
  });
});
