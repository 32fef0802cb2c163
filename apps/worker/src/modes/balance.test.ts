import { describe, expect, it } from "vitest";
import { fairShare, planBalance } from "./balance.ts";

describe("fairShare", () => {
  it.each([
    [3, 2, 2],
    [3, 1, 3],
    [3, 3, 1],
    [3, 5, 1],
    [0, 2, 0],
    [10, 4, 3],
    [3, 0, 3],
  ])("%i clusters over %i workers → %i each", (clusters, workers, share) => {
    expect(fairShare(clusters, workers)).toBe(share);
  });
});

describe("planBalance", () => {
  const candidates = ["a", "b", "c"];

  it("alone, a worker takes everything", () => {
    expect(planBalance({ candidates, held: [], liveWorkers: 1 })).toEqual({
      release: [],
      tryAcquire: ["a", "b", "c"],
      room: 3,
    });
  });

  it("when a second worker joins, the first sheds down to its share", () => {
    expect(planBalance({ candidates, held: ["a", "b", "c"], liveWorkers: 2 })).toEqual({
      release: ["c"],
      tryAcquire: [],
      room: 0,
    });
  });

  it("the joining worker tries the clusters it does not hold, up to its share", () => {
    expect(planBalance({ candidates, held: [], liveWorkers: 2 })).toMatchObject({ room: 2, release: [] });
  });

  it("a cluster that left the registry is released whatever the share", () => {
    expect(planBalance({ candidates: ["a"], held: ["a", "z"], liveWorkers: 1 })).toEqual({
      release: ["z"],
      tryAcquire: [],
      room: 0,
    });
  });

  it("when a worker leaves, the survivor has room for its clusters", () => {
    expect(planBalance({ candidates, held: ["a", "b"], liveWorkers: 1 })).toEqual({
      release: [],
      tryAcquire: ["c"],
      room: 1,
    });
  });
});
