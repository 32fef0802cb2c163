import { describe, expect, it } from "vitest";
import { clusterOfQueue, coalescingKey, queueNameFor } from "./names.ts";

describe("queueNameFor", () => {
  it.each([
    ["prod-eu", "flotilla-sync.prod-eu"],
    ["eu-1.prod.example.com", "flotilla-sync.eu-1.prod.example.com"],
    ["a", "flotilla-sync.a"],
  ])("names the queue of %s", (cluster, queue) => {
    expect(queueNameFor(cluster)).toBe(queue);
    expect(clusterOfQueue(queue)).toBe(cluster);
  });

  it.each([
    ["empty", ""],
    ["a colon, which BullMQ uses as key separator", "prod:eu"],
    ["upper case", "Prod"],
    ["a slash", "prod/eu"],
    ["a leading dash", "-prod"],
    ["a trailing dot", "prod."],
    ["an empty part between dots", "prod..eu"],
    ["a part starting with a dash", "prod.-eu"],
    ["spaces", "prod eu"],
    ["a glob character", "prod*"],
    ["254 characters", "a".repeat(254)],
  ])("refuses a cluster name with %s", (_, cluster) => {
    expect(() => queueNameFor(cluster)).toThrow(/cannot derive a queue name/);
  });

  it("does not claim queues that are not ours", () => {
    expect(clusterOfQueue("other-queue")).toBeUndefined();
    expect(clusterOfQueue("flotilla-sync.Bad:Name")).toBeUndefined();
  });

  it("keys coalescing by ApplicationSet and Application", () => {
    expect(coalescingKey("guestbook", "guestbook-prod")).toBe("guestbook/guestbook-prod");
    expect(coalescingKey("a", "b-c")).not.toBe(coalescingKey("a-b", "c"));
  });
});
