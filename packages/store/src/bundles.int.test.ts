import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { type Bundle, bundleDigest, type KubernetesObject } from "@flotilla/render";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BundleStore, CorruptBundleError } from "./bundles.ts";
import { storeKeys } from "./keys.ts";

function bundleOf(data: Record<string, string>): Bundle {
  const manifests: KubernetesObject[] = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data }];
  return {
    digest: bundleDigest(manifests),
    inputKey: "in",
    manifests,
    source: { repoURL: "https://git.example/src.git", commit: "a".repeat(40), path: "app", kind: "directory" },
    renderedAt: "2026-11-24T00:00:00.000Z",
  };
}

describeWithRedis("bundle store (real Redis)", (info) => {
  let redis: Redis;
  const keysOf = () => storeKeys(`t:${randomBytes(6).toString("hex")}:`);

  beforeAll(() => {
    redis = new Redis(info.url);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("stores a bundle once and finds it by input key and by digest, compressed, with a TTL", async () => {
    const keys = keysOf();
    const bundles = new BundleStore(redis, keys, { ttlSeconds: 600 });
    const bundle = bundleOf({ big: "x".repeat(100_000) });
    await bundles.put("input-1", bundle);
    expect(await bundles.get("input-1")).toEqual(bundle);
    expect(await bundles.byDigest(bundle.digest)).toEqual(bundle);
    expect(await bundles.get("input-2")).toBeUndefined();
    expect(await bundles.byDigest(`sha256:${"0".repeat(64)}`)).toBeUndefined();
    expect(await redis.strlen(keys.bundle(bundle.digest))).toBeLessThan(10_000);
    const ttl = await redis.ttl(keys.bundle(bundle.digest));
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it("renews the TTL on every read, so bundles in use never expire", async () => {
    const keys = keysOf();
    const bundle = bundleOf({ a: "1" });
    await new BundleStore(redis, keys, { ttlSeconds: 5 }).put("in", bundle);
    await new BundleStore(redis, keys, { ttlSeconds: 900 }).byDigest(bundle.digest);
    expect(await redis.ttl(keys.bundle(bundle.digest))).toBeGreaterThan(800);
  });

  it("refuses a stored entry that is not gzip, not a bundle, or whose content does not match its digest", async () => {
    const keys = keysOf();
    const bundles = new BundleStore(redis, keys);
    const good = bundleOf({ a: "1" });
    const tampered = { ...good, manifests: bundleOf({ a: "evil" }).manifests };
    const cases: [string, Buffer][] = [
      ["garbage", Buffer.from("not gzip")],
      ["not a bundle", gzipSync(JSON.stringify({ hello: "world" }))],
      ["tampered", gzipSync(JSON.stringify(tampered))],
    ];
    for (const [what, value] of cases) {
      await redis.set(keys.bundle(good.digest), value);
      await expect(bundles.byDigest(good.digest), what).rejects.toBeInstanceOf(CorruptBundleError);
    }
  });

  it("refuses to store a bundle over the size limit and stores nothing", async () => {
    const keys = keysOf();
    const bundles = new BundleStore(redis, keys, { maxBytes: 1_000 });
    const big = bundleOf({ noise: randomBytes(4_000).toString("base64") });
    await expect(bundles.put("in", big)).rejects.toThrow(/at most 1000 are stored/);
    expect(await redis.exists(keys.bundle(big.digest), keys.bundleByInput("in"))).toBe(0);
  });
});
