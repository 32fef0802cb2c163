import { storeKeys } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { uniqueName } from "../testing/fixtures.ts";
import { Membership } from "./membership.ts";

describeWithRedis("pool membership (real Redis)", (info) => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await redis.quit();
  });

  it("every worker sees every live worker with what it reported holding", async () => {
    const key = storeKeys(`${uniqueName("members")}:`);
    const a = new Membership(redis, key, "a", 10_000);
    const b = new Membership(redis, key, "b", 10_000);

    expect(await a.beat(["c2", "c1"], 1_000)).toEqual([{ id: "a", held: ["c2", "c1"] }]);
    expect(await b.beat([], 1_100)).toEqual([
      { id: "a", held: ["c1", "c2"] },
      { id: "b", held: [] },
    ]);
    expect(await a.beat(["c1"], 1_200)).toEqual([
      { id: "a", held: ["c1"] },
      { id: "b", held: [] },
    ]);
  });

  it("a worker that stops beating drops out with its report; one that leaves goes at once", async () => {
    const key = storeKeys(`${uniqueName("members")}:`);
    const a = new Membership(redis, key, "a", 1_000);
    const b = new Membership(redis, key, "b", 1_000);
    const c = new Membership(redis, key, "c", 1_000);
    await a.beat(["x"], 10_000);
    await b.beat(["y"], 10_000);
    await c.beat(["z"], 10_500);

    // a and b beat last at 10 000; past the TTL only c is left, and a's and b's reports go with them.
    expect(await c.beat(["z"], 11_200)).toEqual([{ id: "c", held: ["z"] }]);
    expect(Object.keys(await redis.hgetall(key.poolWorkerHoldings))).toEqual(["c"]);

    await b.beat(["y"], 11_300);
    await b.leave();
    expect(await c.beat(["z"], 11_400)).toEqual([{ id: "c", held: ["z"] }]);
    expect(await redis.zrange(key.poolWorkers, 0, -1)).toEqual(["c"]);
  });
});
