import type { Application } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import type { Bundle } from "./bundle.ts";
import { MemoryBundleCache, TieredBundleCache } from "./bundle-cache.ts";
import { RenderError } from "./errors/render-error.ts";
import { defaultRenderLimits as defaults } from "./options.ts";
import { Renderer } from "./renderer.ts";
import { MemoryRepo } from "./testing/memory-repo.ts";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function app(name: string, path = "apps/web"): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name },
    spec: {
      source: { repoURL: "https://git.example/fleet.git", targetRevision: "main", path },
      destination: { cluster: name, namespace: "web" },
    },
  };
}

function fixture() {
  const repo = new MemoryRepo();
  const commit = repo.commit("c1", { "apps/web/a.yaml": cm("a"), "apps/broken/a.yaml": "kind: X\n" });
  return { repo, commit };
}

describe("Renderer", () => {
  it("renders 10 concurrent requests for one input once", async () => {
    const { repo, commit } = fixture();
    const renderer = new Renderer({ reader: repo });
    const bundles = await Promise.all(Array.from({ length: 10 }, (_, i) => renderer.render(app(`web-${i}`), commit)));
    expect(new Set(bundles).size).toBe(1);
    expect(renderer.stats()).toEqual({ renders: 1, cacheHits: 0, joined: 9, failures: 0 });
    expect(repo.reads).toEqual(["apps/web/a.yaml"]);
  });

  it("serves a later request from the cache", async () => {
    const { repo, commit } = fixture();
    const renderer = new Renderer({ reader: repo });
    const first = await renderer.render(app("a"), commit);
    const second = await renderer.render(app("b"), commit);
    expect(second).toBe(first);
    expect(renderer.stats()).toMatchObject({ renders: 1, cacheHits: 1 });
  });

  it("shares a bundle through a shared cache between renderers", async () => {
    const { repo, commit } = fixture();
    const cache = new MemoryBundleCache();
    const one = await new Renderer({ reader: repo, cache }).render(app("a"), commit);
    const other = new Renderer({ reader: repo, cache });
    expect(await other.render(app("b"), commit)).toBe(one);
    expect(other.stats().renders).toBe(0);
  });

  it("does not cache failures, and fails every joined request", async () => {
    const { repo, commit } = fixture();
    const renderer = new Renderer({ reader: repo });
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) => renderer.render(app(`x${i}`, "apps/broken"), commit)),
    );
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof RenderError)).toBe(true);
    await expect(renderer.render(app("x4", "apps/broken"), commit)).rejects.toThrow(
      'apps/broken/a.yaml (document 0, line 1): missing "apiVersion"',
    );
    expect(renderer.stats()).toMatchObject({ renders: 2, failures: 2, joined: 2 });
  });

  it("fails on a path that does not exist, with a RenderError", async () => {
    const { repo, commit } = fixture();
    const renderer = new Renderer({ reader: repo });
    await expect(renderer.render(app("a", "apps/nope"), commit)).rejects.toThrow(
      'source.path "apps/nope" does not exist at this commit',
    );
    await expect(renderer.render(app("a", "/etc"), commit)).rejects.toMatchObject({ failure: "UnsafePath" });
  });

  it("refuses a source over the object limit", async () => {
    const repo = new MemoryRepo();
    const many = Array.from({ length: 5 }, (_, i) => cm(`c${i}`)).join("---\n");
    const commit = repo.commit("c", { "apps/web/a.yaml": many });
    const renderer = new Renderer({ reader: repo, limits: { ...defaults(), maxObjects: 4 } });
    await expect(renderer.render(app("a"), commit)).rejects.toThrow(
      "the source renders 5 objects; at most 4 are allowed",
    );
  });

  it("refuses a source over the file limit before reading it", async () => {
    const repo = new MemoryRepo();
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`apps/web/f${i}.yaml`, cm(`c${i}`)]));
    const commit = repo.commit("c", files);
    const renderer = new Renderer({ reader: repo, limits: { ...defaults(), maxFiles: 5 } });
    await expect(renderer.render(app("a"), commit)).rejects.toThrow(
      "the source has 6 files to read; at most 5 are allowed",
    );
    expect(repo.reads).toEqual([]);
  });
});

describe("MemoryBundleCache", () => {
  it("evicts the least recently used bundle", async () => {
    const cache = new MemoryBundleCache({ maxEntries: 2 });
    const b = (d: string) => ({ digest: d }) as Bundle;
    await cache.put("a", b("a"));
    await cache.put("b", b("b"));
    await cache.get("a");
    await cache.put("c", b("c"));
    expect(await cache.get("b")).toBeUndefined();
    expect((await cache.get("a"))?.digest).toBe("a");
    expect(cache.size).toBe(2);
  });
});

describe("TieredBundleCache", () => {
  it("asks the shared tier once per input, then answers from memory; puts go to both", async () => {
    const near = new MemoryBundleCache();
    const far = new MemoryBundleCache();
    const farGets: string[] = [];
    const counting = {
      get: (k: string) => {
        farGets.push(k);
        return far.get(k);
      },
      put: (k: string, b: Bundle) => far.put(k, b),
    };
    const tiered = new TieredBundleCache(near, counting);
    await far.put("k", { digest: "d" } as Bundle);
    expect((await tiered.get("k"))?.digest).toBe("d");
    expect((await tiered.get("k"))?.digest).toBe("d");
    expect(farGets).toEqual(["k"]);
    expect(await tiered.get("missing")).toBeUndefined();
    await tiered.put("n", { digest: "n" } as Bundle);
    expect((await near.get("n"))?.digest).toBe("n");
    expect((await far.get("n"))?.digest).toBe("n");
  });
});
