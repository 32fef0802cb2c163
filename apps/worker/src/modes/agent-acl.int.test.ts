import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RepoCache } from "@flotilla/git";
import { SyncQueues } from "@flotilla/queue";
import { MemoryBundleCache, Renderer, TieredBundleCache } from "@flotilla/render";
import { agentReach } from "@flotilla/status";
import { isNoPermissionError, openStore } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRuntime, type WorkerRuntime } from "../runtime.ts";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, silent, type TestRuntime, testKey, testRuntime } from "../testing/harness.ts";
import { type Agent, startAgent } from "./agent.ts";
import { Resync } from "./resync.ts";

const APPSET = "acl-it";
const SECRET = "other-cluster-t0ken-never-readable";

describeWithClusters("an agent under its own Redis user (real Redis ACL, real cluster)", (clusters) => {
  const [own, other] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
  const prefix = `${uniqueName("acl")}:`;
  let admin: TestRuntime;
  let agentRedis: Redis;
  let agentRuntime: WorkerRuntime;
  let agent: Agent | undefined;
  let user = "";
  let password = "";

  beforeAll(async () => {
    admin = await testRuntime(testbedRedis().url, prefix, testKey());
    // What an operator does: register both clusters, then create the agent's user and hand it its password.
    await admin.store.clusters.register({ name: own.name, server: own.apiUrl, mode: "agent", labels: { env: "a" } });
    await admin.store.clusters.register({
      name: other.name,
      server: other.apiUrl,
      mode: "pool",
      credentials: { kind: "token", token: SECRET },
    });
    ({ user, password } = await admin.store.agentUsers.create(own.name, agentReach(prefix, own.name)));
    const url = new URL(testbedRedis().url);
    url.username = user;
    url.password = password;
    agentRedis = new Redis(url.toString(), { maxRetriesPerRequest: null });
    // An agent opens the store without the encryption key, as the worker's main does.
    const store = await openStore({ redis: agentRedis, prefix, needsCredentials: false, log: silent });
    agentRuntime = createRuntime({ redis: agentRedis, store, prefix, log: silent, localRender: false });
  });

  afterAll(async () => {
    await agent?.stop(2_000);
    await agentRuntime?.close().catch(() => undefined);
    agentRedis?.disconnect();
    await admin.store.agentUsers.remove(own.name);
    await admin.close();
  });

  it("starts without registering itself and heartbeats into its own key", async () => {
    const before = Date.now();
    agent = await startAgent(agentRuntime, {
      cluster: own.name,
      kubeconfig: own.kubeconfig,
      labels: {},
      resync: { intervalMs: 0 },
      driftWatch: false,
    });
    expect((await admin.store.clusters.get(own.name))?.lastSeen).toBeGreaterThanOrEqual(before);
  });

  it("syncs its cluster from a published bundle", async () => {
    const repo = new TestGitRepo();
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("acl", "1") });
    const git = new RepoCache({
      cacheDir: mkdtempSync(join(tmpdir(), "flotilla-acl-git-")),
      logger: silent,
      allowLocalRepos: true,
    });
    const renderer = new Renderer({
      reader: git,
      cache: new TieredBundleCache(new MemoryBundleCache(), admin.store.bundles),
    });
    const namespace = uniqueName("acl");
    const app = application({ name: "mine", repoURL: repo.dir, path: "app", cluster: own.name, namespace });
    const bundle = await renderer.render(app, commit);
    repo.remove();
    await admin.runtime.queues.enqueueSync({ ...syncJob(APPSET, app), source: { commit, bundle: bundle.digest } });
    const status = await eventually(
      () => admin.runtime.status.get({ cluster: own.name, appSet: APPSET, application: "mine" }),
      (s) => s?.sync === "Synced",
      30_000,
      "synced by the restricted agent",
    );
    expect(status).toMatchObject({ revision: commit, bundleDigest: bundle.digest });
  });

  it("runs its periodic re-sync, its deletion sweep and manual sync requests within its reach", async () => {
    // Each reads or writes a key of its own cluster's work (holds: a removed ApplicationSet is frozen; pending
    // deletions; sync requests) and failed with NOPERM while the user's rules lacked them.
    const resync = new Resync(agentRuntime, () => [own.name], { intervalMs: 0 });
    await expect(resync.runOnce()).resolves.toBeGreaterThanOrEqual(0);
    await expect(resync.sweepDeletions()).resolves.toBe(0);
    const ref = { cluster: own.name, appSet: APPSET, application: "mine" };
    const request = await agentRuntime.status.requests.request(ref);
    expect(await agentRuntime.status.requests.pending(ref)).toEqual(request);
    expect(await agentRuntime.status.requests.settle(ref, request)).toBe(true);
    await expect(agentRuntime.store.pendingDeletions.list(own.name)).resolves.toEqual([]);
    await expect(agentRuntime.store.pendingDeletions.list(other.name)).rejects.toSatisfy(isNoPermissionError);
  });

  it("cannot read another cluster's credentials, nor any credentials", async () => {
    await expect(agentRedis.hget(admin.store.keys.clusterCredentials, other.name)).rejects.toSatisfy(
      isNoPermissionError,
    );
    await expect(agentRedis.hgetall(admin.store.keys.clusterCredentials)).rejects.toSatisfy(isNoPermissionError);
    await expect(agentRedis.call("KEYS", "*")).rejects.toSatisfy(isNoPermissionError);
    await expect(agentRedis.call("CONFIG", "GET", "*")).rejects.toSatisfy(isNoPermissionError);
  });

  it("cannot add jobs to another cluster's queue, and can to its own", async () => {
    const queues = new SyncQueues({ connection: agentRedis, prefix: `${prefix}bull` });
    const on = (cluster: string) =>
      application({ name: "evil", repoURL: "https://git.example/r.git", path: "p", cluster, namespace: "x" });
    try {
      await expect(queues.enqueueSync(syncJob(APPSET, on(other.name)))).rejects.toSatisfy(isNoPermissionError);
      expect(await admin.runtime.queues.queue(other.name).count()).toBe(0);
      await expect(queues.queue(own.name).getJobCounts()).resolves.toBeDefined();
    } finally {
      await queues.close();
    }
  });

  it("cannot write the registry, another cluster's status or a shared bundle", async () => {
    const k = admin.store.keys;
    await expect(agentRedis.hset(k.clusters, other.name, "{}")).rejects.toSatisfy(isNoPermissionError);
    await expect(agentRedis.set(k.clusterHeartbeat(other.name), "1")).rejects.toSatisfy(isNoPermissionError);
    await expect(agentRedis.hset(`${prefix}status:${other.name}`, "x", "{}")).rejects.toSatisfy(isNoPermissionError);
    await expect(agentRedis.set(k.bundle("0".repeat(64)), "x")).rejects.toSatisfy(isNoPermissionError);
    await expect(
      admin.store.clusters.register({ name: own.name, server: own.apiUrl, mode: "agent" }),
    ).resolves.toBeDefined();
    await expect(
      agentRuntime.store.clusters.register({ name: own.name, server: "https://x", mode: "agent" }),
    ).rejects.toSatisfy(isNoPermissionError);
  });

  it("a rotated password locks the old one out", async () => {
    await agent?.stop(2_000);
    agent = undefined;
    const rotated = await admin.store.agentUsers.rotate(own.name, agentReach(prefix, own.name));
    const errors: string[] = [];
    const connect = async (secret: string) => {
      const client = new Redis(testbedRedis().url, {
        username: user,
        password: secret,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on("error", (err: Error) => errors.push(err.message));
      try {
        await client.connect();
        return await client.ping();
      } catch {
        return "refused";
      } finally {
        client.disconnect();
      }
    };
    expect(await connect(password)).toBe("refused");
    expect(errors.join("\n")).toMatch(/WRONGPASS/);
    expect(await connect(rotated.password)).toBe("PONG");
  });
});
