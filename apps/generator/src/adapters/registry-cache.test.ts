import type { RegisteredCluster } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { cachedRegistry } from "./registry-cache.ts";

const cluster = (name: string) => ({ name, server: `https://${name}`, labels: {} }) as unknown as RegisteredCluster;

describe("cachedRegistry", () => {
  it("lists once per registry version, again when it moves or is cleared", async () => {
    let version = 1;
    let lists = 0;
    let records = [cluster("a")];
    const registry = cachedRegistry({
      version: async () => version,
      list: async () => {
        lists++;
        return records;
      },
    });
    expect(await registry.clusters()).toEqual([cluster("a")]);
    expect(await registry.clusters()).toEqual([cluster("a")]);
    expect(lists).toBe(1);
    records = [cluster("a"), cluster("b")];
    version = 2;
    expect(await registry.clusters()).toEqual(records);
    expect(lists).toBe(2);
    // A wiped Redis may reach the same version with other clusters: the caller clears at such moments.
    records = [cluster("c")];
    registry.clear();
    expect(await registry.clusters()).toEqual([cluster("c")]);
    expect(lists).toBe(3);
  });

  it("a change between the version and the list is read again next time", async () => {
    let version = 1;
    let lists = 0;
    const registry = cachedRegistry({
      version: async () => version,
      list: async () => {
        lists++;
        version++; // the registry moved on while it was being listed
        return [cluster(`v${version}`)];
      },
    });
    await registry.clusters();
    await registry.clusters();
    expect(lists).toBe(2);
  });
});
