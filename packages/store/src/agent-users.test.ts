import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { AgentUsers } from "./agent-users.ts";
import { storeKeys } from "./keys.ts";

// rulesFor is pure; the Redis connection is never used here.
const users = new AgentUsers({} as Redis, storeKeys("flotilla:"), "flotilla:");

describe("AgentUsers.rulesFor", () => {
  const rules = users.rulesFor("edge", { own: ["flotilla:bull:flotilla-sync.edge:*", "flotilla:status:edge"] });

  it("gives read and write on the agent's own keys only", () => {
    expect(rules.filter((r) => r.startsWith("~"))).toEqual([
      "~flotilla:clusters:heartbeat:edge",
      "~flotilla:deletions:pending:edge",
      "~flotilla:bull:flotilla-sync.edge:*",
      "~flotilla:status:edge",
    ]);
  });

  it("gives read-only access to what the fleet shares, never to credentials", () => {
    const readOnly = rules.filter((r) => r.startsWith("%R~"));
    expect(readOnly).toContain("%R~flotilla:clusters");
    expect(readOnly).toContain("%R~flotilla:bundles:*");
    expect(readOnly).toContain("%R~flotilla:holds");
    expect(rules.join(" ")).not.toContain("credentials");
    expect(rules.slice(0, 2)).toEqual(["resetkeys", "resetchannels"]);
    expect(rules).toContain("-@dangerous");
  });

  it("gives write-only access to the fleet streams it appends to", () => {
    const withStream = users.rulesFor("edge", { own: [], writeOnly: ["flotilla:events:status"] });
    expect(withStream.filter((r) => r.includes("events:status"))).toEqual(["%W~flotilla:events:status"]);
    expect(() => users.rulesFor("edge", { own: [], writeOnly: [""] })).toThrow(/invalid ACL key pattern/);
  });

  it("refuses a pattern that would split into several rules", () => {
    expect(() => users.rulesFor("edge", { own: ["a b"] })).toThrow(/invalid ACL key pattern/);
  });

  it("names the user after the prefix and the cluster", () => {
    expect(users.userOf("edge")).toBe("flotilla-agent.edge");
  });
});
