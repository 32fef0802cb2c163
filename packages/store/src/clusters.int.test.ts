import { randomBytes } from "node:crypto";
import { isValidationError } from "@flotilla/core";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ClusterRegistration } from "./cluster-types.ts";
import { isClusterNotFoundError } from "./errors/cluster-not-found-error.ts";
import { isDecryptError } from "./errors/decrypt-error.ts";
import { isEncryptionKeyError } from "./errors/encryption-key-error.ts";
import { KEY_ENV, KEY_FILE_ENV } from "./key.ts";
import { createStoreLogger } from "./logger.ts";
import { openStore } from "./store.ts";

const log = createStoreLogger({ level: "silent" });
const SECRET = "tok-5ecret-do-not-leak";
const pool = (name: string, labels: Record<string, string> = { env: "prod" }): ClusterRegistration => ({
  name,
  server: `https://${name}.example:6443`,
  labels,
  annotations: { owner: "platform" },
  mode: "pool",
  credentials: { kind: "token", token: SECRET, caData: "LS0tQ0EtLS0=" },
});

describeWithRedis("cluster registry (real Redis)", (info) => {
  let redis: Redis;
  const key = randomBytes(32);
  const prefix = () => `t:${randomBytes(6).toString("hex")}:`;

  beforeAll(() => {
    redis = new Redis(info.url);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("registers, reads, lists, relabels and removes clusters, bumping the version only on real changes", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    const added = await store.clusters.register(pool("alpha"));
    expect(added).toEqual({ change: "added", labelsChanged: true, version: 1 });
    await store.clusters.register({ name: "beta", server: "https://beta:6443", mode: "agent", labels: {} });
    expect(await store.clusters.register(pool("alpha"))).toEqual({
      change: "unchanged",
      labelsChanged: false,
      version: 2,
    });

    const alpha = await store.clusters.get("alpha");
    expect(alpha).toMatchObject({ name: "alpha", mode: "pool", hasCredentials: true, labels: { env: "prod" } });
    expect(JSON.stringify(alpha)).not.toContain(SECRET);
    expect((await store.clusters.list()).map((c) => c.name)).toEqual(["alpha", "beta"]);

    const relabel = await store.clusters.setLabels("alpha", { env: "staging" });
    expect(relabel).toEqual({ change: "updated", labelsChanged: true, version: 3 });
    expect((await store.clusters.get("alpha"))?.labels).toEqual({ env: "staging" });
    expect(await store.clusters.getCredentials("alpha")).toEqual(pool("alpha").credentials);

    const reannotate = await store.clusters.register({ ...pool("alpha", { env: "staging" }), annotations: {} });
    expect(reannotate).toMatchObject({ change: "updated", labelsChanged: false });

    expect(await store.clusters.remove("alpha")).toMatchObject({ change: "removed", version: 5 });
    expect(await store.clusters.remove("alpha")).toMatchObject({ change: "unchanged", version: 5 });
    expect(await store.clusters.get("alpha")).toBeUndefined();
    expect(await store.clusters.getCredentials("alpha")).toBeUndefined();
    await expect(store.clusters.setLabels("alpha", {})).rejects.toSatisfy(isClusterNotFoundError);
    expect(await store.clusters.version()).toBe(5);
  });

  it("refuses invalid registrations before writing anything", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    await expect(store.clusters.register({ ...pool("alpha"), credentials: undefined })).rejects.toSatisfy(
      isValidationError,
    );
    expect(await store.clusters.version()).toBe(0);
  });

  it("refuses a kubeconfig that points at another server or does not parse, writing nothing and quoting none", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    const kubeconfig = (server: string) =>
      `apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: "${server}"}\nusers:\n- name: u\n  user: {token: ${SECRET}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
    const reg = (text: string): ClusterRegistration => ({
      ...pool("alpha"),
      credentials: { kind: "kubeconfig", kubeconfig: text },
    });
    await expect(store.clusters.register(reg(kubeconfig("https://elsewhere:6443")))).rejects.toThrow(
      /credentials\.kubeconfig: points at https:\/\/elsewhere:6443/,
    );
    const broken = store.clusters.register(reg(`${kubeconfig("https://alpha.example:6443")}  bad: [\n`));
    await expect(broken).rejects.toSatisfy(
      (err: Error) => isValidationError(err) && !err.message.includes(SECRET.slice(0, 6)),
    );
    expect(await store.clusters.version()).toBe(0);
    await store.clusters.register(reg(kubeconfig("https://alpha.example:6443/")));
    expect(await store.clusters.getCredentials("alpha")).toMatchObject({ kind: "kubeconfig" });
  });

  it("records agent heartbeats without bumping the version, and not for unknown clusters", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    await store.clusters.register({ name: "edge", server: "https://edge:6443", mode: "agent" });
    await store.clusters.heartbeat("edge", 1_700_000_000_000);
    expect((await store.clusters.get("edge"))?.lastSeen).toBe(1_700_000_000_000);
    expect(await store.clusters.version()).toBe(1);
    await expect(store.clusters.heartbeat("ghost")).rejects.toSatisfy(isClusterNotFoundError);
  });

  it("stores credentials encrypted: the raw Redis value does not contain the secret", async () => {
    const p = prefix();
    const store = await openStore({ log, redis, prefix: p, encryptionKey: key });
    await store.clusters.register(pool("alpha"));
    const dump = JSON.stringify(
      await Promise.all(
        (await redis.keys(`${p}*`)).map(async (k) => [
          k,
          (await redis.type(k)) === "hash" ? await redis.hgetall(k) : "",
        ]),
      ),
    );
    expect(dump).toContain("alpha");
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain("LS0tQ0EtLS0=");
    expect(await redis.hget(store.keys.clusterCredentials, "alpha")).toMatch(/^v1\./);
  });

  it("refuses a blob moved onto another cluster's record", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    await store.clusters.register(pool("alpha"));
    await store.clusters.register(pool("beta"));
    const blob = await redis.hget(store.keys.clusterCredentials, "alpha");
    await redis.hset(store.keys.clusterCredentials, "beta", blob!);
    await expect(store.clusters.getCredentials("beta")).rejects.toThrow(/cannot decrypt credentials of cluster beta/);
  });

  it("binds credentials to the record's server: a repointed record's credentials do not decrypt", async () => {
    const store = await openStore({ log, redis, prefix: prefix(), encryptionKey: key });
    await store.clusters.register(pool("alpha"));
    // Anyone who can write the registry hash repoints the record, hoping a pool worker sends the token there.
    const record = JSON.parse((await redis.hget(store.keys.clusters, "alpha"))!) as { server: string };
    const repointed = { ...record, server: "https://attacker.example:6443" };
    await redis.hset(store.keys.clusters, "alpha", JSON.stringify(repointed));
    const refused = store.clusters.getCredentials("alpha");
    await expect(refused).rejects.toSatisfy(isDecryptError);
    await expect(store.clusters.getCredentials("alpha")).rejects.toThrow(/server https:\/\/attacker\.example:6443/);
    await expect(store.clusters.getCredentials("alpha")).rejects.not.toThrow(SECRET);

    // Pointing it back restores them; a new server needs credentials registered for it.
    await redis.hset(store.keys.clusters, "alpha", JSON.stringify(record));
    expect(await store.clusters.getCredentials("alpha")).toEqual(pool("alpha").credentials);
    const moved = { ...pool("alpha"), server: "https://alpha-new.example:6443" };
    await store.clusters.register(moved);
    expect(await store.clusters.getCredentials("alpha")).toEqual(moved.credentials);
  });

  it("refuses to start with a different key, and without a key while credentials exist", async () => {
    const p = prefix();
    const first = await openStore({ log, redis, prefix: p, encryptionKey: key });
    await first.clusters.register(pool("alpha"));

    const wrong = openStore({ log, redis, prefix: p, encryptionKey: randomBytes(32) });
    await expect(wrong).rejects.toSatisfy((err) => isEncryptionKeyError(err) && err.problem === "mismatch");

    const missing = openStore({ log, redis, prefix: p });
    await expect(missing).rejects.toSatisfy(
      (err) => isEncryptionKeyError(err) && err.message.includes(KEY_ENV) && err.message.includes(KEY_FILE_ENV),
    );
    // A process that never touches credentials (the generator) may run without the key.
    const generator = await openStore({ log, redis, prefix: p, needsCredentials: false });
    expect((await generator.clusters.list()).map((c) => c.name)).toEqual(["alpha"]);
    await expect(generator.clusters.getCredentials("alpha")).rejects.toSatisfy(isEncryptionKeyError);

    expect(
      await (await openStore({ log, redis, prefix: p, encryptionKey: key })).clusters.getCredentials("alpha"),
    ).toEqual(pool("alpha").credentials);
  });
});
