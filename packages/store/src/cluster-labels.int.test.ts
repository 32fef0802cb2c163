import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { freshStores } from "./testing/fresh-stores.ts";

const SERVER = "https://edge-1:6443";

describeWithRedis("cluster label precedence: agent declarations and operator relabels (real Redis)", (info) => {
  const stores = freshStores(info.url);
  const open = stores.open;

  it("an agent restarting with other labels changes its own keys and never the ones an operator set", async () => {
    const store = await open();
    const first = await store.clusters.registerAgent({
      name: "edge-1",
      server: SERVER,
      labels: { env: "prod", team: "a" },
    });
    expect(first).toMatchObject({ change: "added", labels: { env: "prod", team: "a" } });

    // The operator moves the cluster to staging and adds an owner.
    await store.clusters.setLabels("edge-1", { env: "staging", team: "a", owner: "ops" });
    expect(await store.clusters.labelOwnership("edge-1")).toEqual({
      declared: { env: "prod", team: "a" },
      operatorKeys: ["env", "owner"],
    });

    // Before the fix the restart replaced the record: env went back to prod and owner was lost, silently.
    const restart = await store.clusters.registerAgent({
      name: "edge-1",
      server: SERVER,
      labels: { env: "prod", team: "b", region: "eu" },
    });
    expect(restart).toMatchObject({
      change: "updated",
      labelsChanged: true,
      labels: { env: "staging", team: "b", owner: "ops", region: "eu" },
      agentChanged: ["region", "team"],
      overridden: ["env"],
    });
    expect((await store.clusters.get("edge-1"))?.labels).toEqual({
      env: "staging",
      team: "b",
      owner: "ops",
      region: "eu",
    });
    // Readers never see the bookkeeping.
    expect(await store.clusters.get("edge-1")).not.toHaveProperty("labelOwnership");

    // The same declaration again is no change at all: no event wakes the generators.
    const version = await store.clusters.version();
    const again = await store.clusters.registerAgent({
      name: "edge-1",
      server: SERVER,
      labels: { env: "prod", team: "b", region: "eu" },
    });
    expect(again.change).toBe("unchanged");
    expect(await store.clusters.version()).toBe(version);

    // The operator hands env back by setting the agent's value; the agent's next declaration decides it.
    await store.clusters.setLabels("edge-1", { env: "prod", team: "b", owner: "ops", region: "eu" });
    const handedBack = await store.clusters.registerAgent({ name: "edge-1", server: SERVER, labels: { env: "dev" } });
    expect(handedBack.labels).toEqual({ env: "dev", owner: "ops" });
  });

  it("an operator removing an agent's key keeps it removed across restarts", async () => {
    const store = await open();
    await store.clusters.registerAgent({ name: "edge-1", server: SERVER, labels: { env: "prod", canary: "yes" } });
    await store.clusters.setLabels("edge-1", { env: "prod" });
    const restart = await store.clusters.registerAgent({
      name: "edge-1",
      server: SERVER,
      labels: { env: "prod", canary: "yes" },
    });
    expect(restart.labels).toEqual({ env: "prod" });
    expect(restart.overridden).toEqual(["canary"]);
  });

  it("concurrent registrations and relabels never lose one another (compare-and-set)", async () => {
    const store = await open();
    await store.clusters.registerAgent({ name: "edge-1", server: SERVER, labels: { env: "prod" } });
    await Promise.all([
      store.clusters.setLabels("edge-1", { env: "prod", owner: "ops" }),
      store.clusters.registerAgent({ name: "edge-1", server: SERVER, labels: { env: "prod", zone: "z1" } }),
    ]);
    expect((await store.clusters.get("edge-1"))?.labels).toMatchObject({ owner: "ops" });
  });
});
