import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, expect, it } from "vitest";
import { uniqueName } from "../testing/fixtures.ts";
import { startTestAgent, type TestAgent, testKey } from "../testing/harness.ts";

/** An agent restarting with another FLOTILLA_LABELS, after an operator relabelled its cluster (real Redis). */
describeWithClusters("agent labels across restarts (a real cluster, real Redis)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("agent-labels")}:`;
  const agents: TestAgent[] = [];
  // Both runs open the same store, as one installation: the same credentials key.
  const key = testKey();

  afterAll(async () => {
    for (const agent of agents.splice(0)) await agent.close();
  });

  it("keeps the operator's keys and takes the agent's own new ones", async () => {
    const first = await startTestAgent(
      cluster,
      prefix,
      { labels: { env: "prod", team: "a" }, driftWatch: false },
      { key },
    );
    agents.push(first);
    expect((await first.store.clusters.get(cluster.name))?.labels).toEqual({ env: "prod", team: "a" });
    await first.store.clusters.setLabels(cluster.name, { env: "staging", team: "a" });
    await first.close();
    agents.splice(0);

    const second = await startTestAgent(
      cluster,
      prefix,
      { labels: { env: "prod", team: "b" }, driftWatch: false },
      { key },
    );
    agents.push(second);
    expect((await second.store.clusters.get(cluster.name))?.labels).toEqual({ env: "staging", team: "b" });
  });
});
