import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import type { DeletionFailure } from "./pending-deletions.ts";
import { freshStores } from "./testing/fresh-stores.ts";

describeWithRedis("pending deletions (real Redis)", (info) => {
  const stores = freshStores(info.url);
  const open = stores.open;

  const failure = (application: string, at: number, over: Partial<DeletionFailure> = {}): DeletionFailure => ({
    cluster: "prod",
    appSet: "shop",
    application,
    preserveResources: false,
    error: "ConfigMap/shop/cfg delete failed (forbidden)",
    at,
    retryDelayMs: (attempts) => 1000 * 2 ** (attempts - 1),
    ...over,
  });

  it("counts attempts from the first failure, with the last error and the next try after a growing backoff", async () => {
    const store = await open();
    await store.clusters.register({ name: "prod", server: "https://prod:6443", mode: "agent", labels: {} });
    const first = await store.pendingDeletions.recordFailure(failure("cart", 10_000, { revision: "a".repeat(40) }));
    expect(first).toEqual({
      cluster: "prod",
      appSet: "shop",
      application: "cart",
      preserveResources: false,
      revision: "a".repeat(40),
      attempts: 1,
      lastError: "ConfigMap/shop/cfg delete failed (forbidden)",
      since: 10_000,
      lastAttemptAt: 10_000,
      nextAttemptAt: 11_000,
    });
    const second = await store.pendingDeletions.recordFailure(failure("cart", 20_000, { error: "timeout" }));
    await store.pendingDeletions.recordFailure(failure("cart", 30_000, { error: "still timing out" }));
    expect(second?.attempts).toBe(2);
    const stored = await store.pendingDeletions.get({ cluster: "prod", appSet: "shop", application: "cart" });
    expect(stored).toMatchObject({
      attempts: 3,
      since: 10_000,
      lastAttemptAt: 30_000,
      nextAttemptAt: 34_000,
      lastError: "still timing out",
      // A later attempt without a revision keeps the one the deletion started with.
      revision: "a".repeat(40),
    });

    await store.pendingDeletions.recordFailure(failure("web", 5_000));
    expect((await store.pendingDeletions.list("prod")).map((d) => d.application)).toEqual(["web", "cart"]);
    expect((await store.pendingDeletions.due("prod", 33_999)).map((d) => d.application)).toEqual(["web"]);
    expect((await store.pendingDeletions.due("prod", 34_000)).map((d) => d.application)).toEqual(["web", "cart"]);
    expect(await store.pendingDeletions.list("dev")).toEqual([]);
  });

  it("settles on success, is dropped by an operator's abandon, and goes with its cluster", async () => {
    const store = await open();
    const cart = { cluster: "prod", appSet: "shop", application: "cart" };
    // Nothing is owed on a cluster Flotilla does not have.
    expect(await store.pendingDeletions.recordFailure(failure("cart", 1))).toBeUndefined();
    expect(await store.pendingDeletions.list("prod")).toEqual([]);
    await store.clusters.register({ name: "prod", server: "https://prod:6443", mode: "agent", labels: {} });
    await store.pendingDeletions.recordFailure(failure("cart", 1));
    expect(await store.pendingDeletions.settle(cart)).toBe(true);
    expect(await store.pendingDeletions.settle(cart)).toBe(false);

    await store.pendingDeletions.recordFailure(failure("cart", 1));
    expect(await store.pendingDeletions.abandonDeletion(cart)).toMatchObject({ ...cart, attempts: 1 });
    expect(await store.pendingDeletions.get(cart)).toBeUndefined();
    expect(await store.pendingDeletions.abandonDeletion(cart)).toBeUndefined();

    await store.clusters.register({ name: "dev", server: "https://dev:6443", mode: "agent", labels: {} });
    await store.pendingDeletions.recordFailure(failure("cart", 1));
    await store.pendingDeletions.recordFailure(failure("cart", 1, { cluster: "dev" }));
    await store.clusters.remove("prod");
    expect(await store.pendingDeletions.list("prod")).toEqual([]);
    expect(await store.pendingDeletions.list("dev")).toHaveLength(1);
    // An attempt still running when its cluster went cannot bring the debt back.
    expect(await store.pendingDeletions.recordFailure(failure("cart", 2))).toBeUndefined();
    expect(await store.pendingDeletions.list("prod")).toEqual([]);
  });
});
