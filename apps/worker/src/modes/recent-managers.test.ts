import type { ResourceManager } from "@flotilla/kube";
import { describe, expect, it } from "vitest";
import { RecentManagers } from "./recent-managers.ts";

function setUp() {
  let clock = 0;
  const loads: string[] = [];
  let fail = false;
  const managers = new RecentManagers(
    async (cluster) => {
      loads.push(cluster);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (fail) throw new Error("credentials refused");
      return { cluster } as unknown as ResourceManager;
    },
    5_000,
    () => clock,
  );
  return {
    managers,
    loads,
    tick: (ms: number) => {
      clock += ms;
    },
    failing: (on: boolean) => {
      fail = on;
    },
  };
}

describe("RecentManagers", () => {
  it("reads a cluster's record once for the syncs of a few seconds, and again once they have passed", async () => {
    const { managers, loads, tick } = setUp();
    const first = await Promise.all([managers.get("a"), managers.get("a"), managers.get("b")]);
    expect(first[0]).toBe(first[1]);
    tick(4_999);
    await managers.get("a");
    expect(loads).toEqual(["a", "b"]);
    tick(1);
    await managers.get("a");
    expect(loads).toEqual(["a", "b", "a"]);
  });

  it("keeps no failed read, and forgets a cluster that left", async () => {
    const { managers, loads, failing } = setUp();
    failing(true);
    await expect(managers.get("a")).rejects.toThrow("credentials refused");
    failing(false);
    await managers.get("a");
    managers.forget("a");
    await managers.get("a");
    expect(loads).toEqual(["a", "a", "a"]);
  });
});
