import { describe, expect, it } from "vitest";
import { labelsOnAgentRegistration, ownershipOnRelabel } from "./label-precedence.ts";

describe("label precedence", () => {
  it("a first registration takes the agent's labels, all of them the agent's", () => {
    expect(labelsOnAgentRegistration({ env: "prod" }, undefined)).toEqual({
      labels: { env: "prod" },
      ownership: { declared: { env: "prod" }, operatorKeys: [] },
      agentChanged: ["env"],
      overridden: [],
    });
  });

  it("keys the operator changed, added or removed are the operator's; the agent's restarts keep them", () => {
    const declared = { env: "prod", team: "a", tier: "web" };
    const ownership = ownershipOnRelabel({ env: "staging", team: "a", owner: "x" }, { declared, operatorKeys: [] });
    expect(ownership).toEqual({ declared, operatorKeys: ["env", "owner", "tier"] });

    const next = labelsOnAgentRegistration(
      { env: "prod", team: "b", tier: "web", region: "eu" },
      { labels: { env: "staging", team: "a", owner: "x" }, ownership },
    );
    // team and region are the agent's own; env, owner and tier's removal are the operator's.
    expect(next.labels).toEqual({ env: "staging", team: "b", owner: "x", region: "eu" });
    expect(next.ownership.operatorKeys).toEqual(["env", "owner", "tier"]);
    expect(next.agentChanged).toEqual(["region", "team"]);
    expect(next.overridden).toEqual(["env", "tier"]);
  });

  it("an operator who sets a key back to the agent's value hands it back", () => {
    const declared = { env: "prod" };
    const relabelled = ownershipOnRelabel({ env: "staging" }, { declared, operatorKeys: [] });
    const back = ownershipOnRelabel({ env: "prod" }, relabelled);
    expect(back.operatorKeys).toEqual([]);
    expect(labelsOnAgentRegistration({ env: "dev" }, { labels: { env: "prod" }, ownership: back }).labels).toEqual({
      env: "dev",
    });
  });

  it("an agent that comes to declare the operator's value owns the key again", () => {
    const outcome = labelsOnAgentRegistration(
      { env: "staging" },
      { labels: { env: "staging" }, ownership: { declared: { env: "prod" }, operatorKeys: ["env"] } },
    );
    expect(outcome.ownership.operatorKeys).toEqual([]);
    expect(outcome.overridden).toEqual([]);
  });

  it("without a declaration (a cluster no agent registered), every key the operator sets is theirs", () => {
    expect(ownershipOnRelabel({ env: "prod", team: "a" }, {})).toEqual({ operatorKeys: ["env", "team"] });
    const outcome = labelsOnAgentRegistration(
      { env: "dev" },
      { labels: { env: "prod", team: "a" }, ownership: { operatorKeys: ["env", "team"] } },
    );
    expect(outcome.labels).toEqual({ env: "prod", team: "a" });
    expect(outcome.overridden).toEqual(["env"]);
  });
});
