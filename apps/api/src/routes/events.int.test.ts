import { randomBytes } from "node:crypto";
import type { AppSummary } from "@flotilla/status";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "@flotilla/worker/testing";
import { application, configMapYaml, uniqueName } from "@flotilla/worker/testing/fixtures";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";
import { openSse, type ReceivedEvent, type SseClient } from "../testing/sse-client.ts";

const APPSET = "events-it";

describeWithClusters("GET /api/v1/events (real worker syncing on a real cluster, real Redis)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("events")}:`;
  const key = randomBytes(32);
  const api = apiHarness(testbedRedis().url, { prefix, encryptionKey: key });
  let agent: TestAgent;
  const repo = new TestGitRepo();
  const open: SseClient[] = [];

  const events = async (query = "", headers: Record<string, string> = {}) => {
    const client = await openSse(`${api.url}/api/v1/events${query}`, {
      authorization: `Bearer ${api.tokens.read}`,
      ...headers,
    });
    open.push(client);
    return client;
  };
  const statusOf = (name: string, sync?: string) => (e: ReceivedEvent) =>
    e.event === "status" &&
    (e.data as AppSummary).application === name &&
    (sync === undefined || (e.data as AppSummary).sync === sync);

  beforeAll(async () => {
    agent = await startTestAgent(cluster, prefix, {}, { key });
  });

  afterAll(async () => {
    for (const c of open) c.close();
    await agent?.close();
    repo.remove();
  });

  const syncApp = async (value: string) => {
    const name = uniqueName("ev");
    repo.commit({ [`${name}/cm.yaml`]: configMapYaml(name, value) });
    const app = application({ name, repoURL: repo.dir, path: name, cluster: cluster.name, namespace: name });
    return { name, ...(await storeAndSync({ store: agent.store, queues: agent.queues }, APPSET, app)) };
  };

  it("a read token gets the stream: retry hint, then the status a worker wrote as it synced", async () => {
    const stream = await events();
    expect(stream.status).toBe(200);
    const { name } = await syncApp("1");
    const synced = await stream.next(statusOf(name, "Synced"), 90_000);
    expect(synced.data).toMatchObject({
      appSet: APPSET,
      application: name,
      cluster: cluster.name,
      sync: "Synced",
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(synced.id).toMatch(/^\d+-\d+,\d+-\d+$/);
    expect(stream.retry).toEqual([3000]);
  });

  it("a registry change is an `event: cluster` with the record as it is now; filters narrow what arrives", async () => {
    const all = await events();
    const onlyOther = await events("?cluster=nobody-here");
    const otherSet = await events("?appset=other-set");
    await api.store.clusters.register({
      name: "events-extra",
      server: "https://events-extra:6443",
      labels: { env: "test" },
      mode: "agent",
    });
    const added = await all.next(
      (e) => e.event === "cluster" && (e.data as { cluster: string }).cluster === "events-extra",
    );
    expect(added.data).toMatchObject({
      type: "added",
      mode: "agent",
      server: "https://events-extra:6443",
      labels: { env: "test" },
    });
    const { name } = await syncApp("2");
    await all.next(statusOf(name, "Synced"), 90_000);
    // The cluster event passes an ApplicationSet filter (a cluster belongs to none), not a cluster filter.
    await otherSet.next((e) => e.event === "cluster");
    expect(onlyOther.events.filter((e) => e.event !== "resync")).toEqual([]);
    expect(otherSet.events.filter((e) => e.event === "status")).toEqual([]);
  });

  it("Last-Event-ID resumes after the event it names, replaying what was missed", async () => {
    const first = await events(`?appset=${APPSET}`);
    const a = await syncApp("3");
    const seen = await first.next(statusOf(a.name, "Synced"), 90_000);
    first.close();
    const b = await syncApp("4");
    // Written while no client listened: only the resumed stream can show it.
    await eventually(
      () => api.deps.status.get(b.ref),
      (s) => s?.sync === "Synced",
      90_000,
      `${b.name} synced`,
    );
    const resumed = await events(`?appset=${APPSET}`, { "last-event-id": seen.id ?? "" });
    const replayed = await resumed.next(statusOf(b.name, "Synced"));
    expect(replayed.data).toMatchObject({ application: b.name, cluster: cluster.name });
    // Nothing up to the resumed-from event comes again.
    expect(resumed.events.filter((e) => e.id === seen.id)).toEqual([]);
  });

  it("a deleted Application is `event: deleted`; a forged stream entry only makes the API re-read", async () => {
    const stream = await events();
    const { name, ref } = await syncApp("5");
    await stream.next(statusOf(name, "Synced"), 90_000);
    await api.deps.status.recordDeletion(ref, { at: Date.now(), result: "Deleted", jobId: "test" });
    const deleted = await stream.next(
      (e) => e.event === "deleted" && (e.data as { application: string }).application === name,
    );
    expect(deleted.data).toEqual(ref);
    // An entry claiming a status that is not stored: the API reads the hash, finds nothing, says deleted.
    await api.deps.redis.xadd(
      api.store.keys.statusEvents,
      "*",
      "kind",
      "status",
      "cluster",
      cluster.name,
      "appSet",
      APPSET,
      "application",
      "forged",
      "sync",
      "Synced",
    );
    const forged = await stream.next((e) => (e.data as { application?: string }).application === "forged");
    expect(forged).toMatchObject({ event: "deleted", data: { application: "forged" } });
  });

  it("no token is 401, a bad Last-Event-ID or filter is 400 naming it", async () => {
    const none = await fetch(`${api.url}/api/v1/events`);
    expect(none.status).toBe(401);
    const auth = { authorization: `Bearer ${api.tokens.read}` };
    const badId = await fetch(`${api.url}/api/v1/events`, { headers: { ...auth, "last-event-id": "12; DROP" } });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ error: "BadRequest", field: "headers.last-event-id" });
    const badCluster = await fetch(`${api.url}/api/v1/events?cluster=Not_Valid`, { headers: auth });
    expect(badCluster.status).toBe(400);
    expect(await badCluster.json()).toMatchObject({ field: "query.cluster.0" });
  });

  it("a comment line keeps an idle stream open (every 15 s)", async () => {
    const idle = await events("?cluster=idle-cluster");
    await eventually(
      async () => idle.comments,
      (c) => c.includes("keep-alive"),
      40_000,
      "a keep-alive comment",
    );
  });
});
