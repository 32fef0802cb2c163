import type { Bundle } from "@flotilla/render";
import { describe, expect, it } from "vitest";
import { PublishedBundles } from "./published-bundles.ts";

describe("PublishedBundles", () => {
  const setUp = (maxEntries = 10) => {
    const fetched: string[] = [];
    let clock = 0;
    const bundles = new PublishedBundles(
      async (digest) => {
        fetched.push(digest);
        return digest === "gone" ? undefined : ({ digest } as Bundle);
      },
      { maxEntries, maxAgeMs: 1_000, now: () => clock },
    );
    return { bundles, fetched, tick: (ms: number) => (clock += ms) };
  };

  it("reads the shared store once while a copy is fresh, and again when it is old (renewing its TTL there)", async () => {
    const { bundles, fetched, tick } = setUp();
    await bundles.byDigest("a");
    tick(999);
    await bundles.byDigest("a");
    expect(fetched).toEqual(["a"]);
    tick(1);
    expect((await bundles.byDigest("a"))?.digest).toBe("a");
    expect(fetched).toEqual(["a", "a"]);
  });

  it("reads a bundle asked for by many syncs at once once, and a failed read is no answer for the next", async () => {
    const { bundles, fetched } = setUp();
    const all = await Promise.all(Array.from({ length: 10 }, () => bundles.byDigest("a")));
    expect(fetched).toEqual(["a"]);
    expect(all.every((b) => b?.digest === "a")).toBe(true);
    await Promise.all([bundles.byDigest("gone"), bundles.byDigest("gone")]);
    expect(await bundles.byDigest("gone")).toBeUndefined();
    expect(fetched).toEqual(["a", "gone", "gone"]);
  });

  it("keeps no answer for a bundle that is not there, and drops the least recently used past its size", async () => {
    const { bundles, fetched } = setUp(2);
    expect(await bundles.byDigest("gone")).toBeUndefined();
    expect(await bundles.byDigest("gone")).toBeUndefined();
    await bundles.byDigest("a");
    await bundles.byDigest("b");
    await bundles.byDigest("a");
    await bundles.byDigest("c");
    await bundles.byDigest("a");
    await bundles.byDigest("b");
    expect(fetched).toEqual(["gone", "gone", "a", "b", "c", "b"]);
  });
});
