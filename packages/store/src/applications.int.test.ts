import { type Application, type ApplicationDiff, defaultDiffPolicy, diffGenerations, specDigest } from "@flotilla/core";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { isStaleFenceError } from "./errors/stale-fence-error.ts";
import { generationRecordOf } from "./generation-record.ts";
import { freshStores } from "./testing/fresh-stores.ts";

function app(name: string, cluster: string, revision = "main"): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name, labels: { "flotilla.dev/appset": "guestbook" } },
    spec: {
      project: "default",
      source: { repoURL: "https://git.example/fleet.git", targetRevision: revision, path: `apps/${name}` },
      destination: { cluster, namespace: "guestbook" },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
    },
  };
}

const change = (a: Application) => ({ application: a, desiredDigest: specDigest(a) });

describeWithRedis("applications and generation records (real Redis)", (info) => {
  const stores = freshStores(info.url);
  const open = stores.open;

  it("commits creates, updates and deletes, and reads them back", async () => {
    const store = await open();
    const [a, b, c] = [app("a", "c1"), app("b", "c1"), app("c", "c1")];
    await store.applications.commit("guestbook", {
      creates: [a, b, c].map(change),
      updates: [],
      deletes: [],
      unchanged: [],
    });
    const b2 = app("b", "c1", "v2");
    await store.applications.commit("guestbook", {
      creates: [],
      updates: [change(b2)],
      deletes: ["c"],
      unchanged: ["a"],
    });
    expect(await store.applications.desiredDigests("guestbook")).toEqual(
      new Map([
        ["a", specDigest(a)],
        ["b", specDigest(b2)],
      ]),
    );
    expect(await store.applications.get("guestbook", "b")).toEqual(b2);
    expect(await store.applications.get("guestbook", "c")).toBeUndefined();
    expect(await store.applications.getMany("guestbook", ["a", "c"])).toEqual([a, undefined]);
    expect(await store.applications.desiredDigests("other")).toEqual(new Map());
  });

  it("keeps each upserted Application's rendered source beside it, and drops it with the Application", async () => {
    const store = await open();
    const [a, b] = [app("a", "c1"), app("b", "c1")];
    const source = { commit: "a".repeat(40), bundle: `sha256:${"b".repeat(64)}` };
    await store.applications.commit(
      "guestbook",
      { creates: [a, b].map(change), updates: [], deletes: [], unchanged: [] },
      { sources: new Map([["a", source]]) },
    );
    expect(await store.applications.sources("guestbook", ["a", "b"])).toEqual([source, undefined]);
    // An update without a source forgets the old one rather than pairing the new spec with a stale bundle.
    await store.applications.commit("guestbook", { creates: [], updates: [change(a)], deletes: ["b"], unchanged: [] });
    expect(await store.applications.sources("guestbook", ["a", "b"])).toEqual([undefined, undefined]);
  });

  it("commits a diff atomically: a concurrent reader never sees half of it", async () => {
    const store = await open();
    const n = 5_000;
    const v1 = Array.from({ length: n }, (_, i) => app(`app-${i}`, "c1", "v1"));
    await store.applications.commit("s", { creates: v1.map(change), updates: [], deletes: [], unchanged: [] });
    const v2 = v1.map((x) => app(x.metadata.name, "c1", "v2"));
    const h2 = new Set(v2.map(specDigest));
    const reader = new Redis(info.url);
    const mixes: number[] = [];
    let done = false;
    const reading = (async () => {
      while (!done) {
        const all = Object.values(await reader.hgetall(store.keys.appDesiredDigests("s")));
        const newer = all.filter((h) => h2.has(h)).length;
        if (newer !== 0 && newer !== n) mixes.push(newer);
        if (all.length !== n) mixes.push(-all.length);
      }
    })();
    try {
      await store.applications.commit("s", {
        creates: [],
        updates: v2.map(change),
        deletes: [],
        unchanged: [],
      });
    } finally {
      done = true;
      await reading;
      await reader.quit();
    }
    expect(mixes).toEqual([]);
    expect(new Set((await store.applications.desiredDigests("s")).values())).toEqual(h2);
  });

  it("round-trips 100,000 desired digests and feeds the next diff", async () => {
    const store = await open();
    const n = 100_000;
    const apps = Array.from({ length: n }, (_, i) => app(`app-${i}-c${i % 1000}`, `c${i % 1000}`));
    const first = diffGenerations(new Map(), { appSet: "big", applications: apps, errors: [] }, defaultDiffPolicy());
    const t0 = performance.now();
    await store.applications.commit("big", first);
    const tCommit = performance.now() - t0;
    const t1 = performance.now();
    const desiredDigests = await store.applications.desiredDigests("big");
    const tRead = performance.now() - t1;
    expect(desiredDigests.size).toBe(n);
    expect(desiredDigests.get("app-42-c42")).toBe(specDigest(apps[42]!));
    const again = diffGenerations(
      desiredDigests,
      { appSet: "big", applications: apps, errors: [] },
      defaultDiffPolicy(),
    );
    expect(again.creates.length + again.updates.length + again.deletes.length).toBe(0);
    // Relabelling one cluster out: its 100 Applications go, in one commit.
    const leaving = apps.filter((a) => a.spec.destination.cluster !== "c7");
    const relabel = diffGenerations(
      desiredDigests,
      { appSet: "big", applications: leaving, errors: [] },
      defaultDiffPolicy(),
    );
    const t2 = performance.now();
    await store.applications.commit("big", relabel);
    const tSmall = performance.now() - t2;
    expect(await store.applications.count("big")).toBe(n - 100);
    console.info(
      `[measure] 100k Applications: commit ${tCommit.toFixed(0)} ms, desiredDigests() ${tRead.toFixed(0)} ms, ` +
        `commit of a 100-delete diff ${tSmall.toFixed(1)} ms, ${(await stores.redis.memory("USAGE", store.keys.appSpecs("big"))) ?? "?"} bytes of specs`,
    );
    await stores.redis.del(store.keys.appDesiredDigests("big"), store.keys.appSpecs("big"));
  });

  it("stores one generation record per ApplicationSet", async () => {
    const store = await open();
    const diff: ApplicationDiff = { creates: [change(app("a", "c1"))], updates: [], deletes: [], unchanged: [] };
    const generation = { appSet: "guestbook", applications: [app("a", "c1")], errors: [] };
    await store.generations.record(generationRecordOf({ appSet: "guestbook", commit: "c0ffee", generation, diff }));
    await store.generations.record(generationRecordOf({ appSet: "another", commit: "c0ffee", generation, diff }));
    await store.generations.record(generationRecordOf({ appSet: "guestbook", commit: "beef", generation, diff }));
    expect((await store.generations.getGeneration("guestbook"))?.commit).toBe("beef");
    expect((await store.generations.listGenerations()).map((g) => g.appSet)).toEqual(["another", "guestbook"]);
    await store.generations.remove("another");
    expect(await store.generations.getGeneration("another")).toBeUndefined();
  });

  it("refuses writes with a stale fence and writes nothing", async () => {
    const store = await open();
    const lease = store.lease("generator", { ttlMs: 200 });
    const old = await lease.acquire();
    expect(old).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    const current = await lease.acquire();
    expect(current!.fence).toBeGreaterThan(old!.fence);

    const diff: ApplicationDiff = { creates: [change(app("a", "c1"))], updates: [], deletes: [], unchanged: [] };
    const stale = { fence: { lease: "generator", token: old!.fence } };
    await expect(store.applications.commit("s", diff, stale)).rejects.toSatisfy(isStaleFenceError);
    const generation = { appSet: "s", applications: [], errors: [] };
    await expect(
      store.generations.record(generationRecordOf({ appSet: "s", commit: "x", generation, diff }), stale),
    ).rejects.toSatisfy(isStaleFenceError);
    expect(await store.applications.count("s")).toBe(0);
    expect(await store.generations.getGeneration("s")).toBeUndefined();

    await store.applications.commit("s", diff, { fence: { lease: "generator", token: current!.fence } });
    expect(await store.applications.count("s")).toBe(1);
  });
});
