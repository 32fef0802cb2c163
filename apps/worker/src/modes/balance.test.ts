import { describe, expect, it } from "vitest";
import { assignClusters, fairShare, planBalance, type WorkerHoldings } from "./balance.ts";

const names = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, "0")}`);
const workerIds = (w: number) => Array.from({ length: w }, (_, i) => `w${i}`);
const sizes = (split: Map<string, string[]>) => [...split.values()].map((c) => c.length);
const holdings = (split: Map<string, string[]>): WorkerHoldings[] => [...split].map(([id, held]) => ({ id, held }));

/** Clusters whose holder differs between two splits: what a change of membership made move. */
function moved(before: Map<string, string[]>, after: Map<string, string[]>): number {
  const holderBefore = new Map([...before].flatMap(([id, held]) => held.map((c) => [c, id] as const)));
  let count = 0;
  for (const [id, held] of after) for (const c of held) if (holderBefore.get(c) !== id) count++;
  return count;
}

/** A split reached from scratch: what the pool settles on when every worker starts empty. */
function fresh(n: number, w: number): Map<string, string[]> {
  return assignClusters(
    names(n),
    workerIds(w).map((id) => ({ id, held: [] })),
  );
}

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

describe("assignClusters", () => {
  it.each([
    [4, 3, [2, 1, 1]],
    [10, 4, [3, 3, 2, 2]],
    [1, 3, [1, 0, 0]],
    [0, 2, [0, 0]],
    [3, 1, [3]],
  ])("%i clusters over %i workers → %j", (n, w, expected) => {
    const split = fresh(n, w);
    expect(sizes(split).sort((a, b) => b - a)).toEqual(expected);
    expect([...split.values()].flat().sort()).toEqual(names(n));
  });

  it("never leaves a worker idle while another holds two more than it (4 over 3 is 2/1/1, not 2/2/0)", () => {
    const split = assignClusters(names(4), [
      { id: "a", held: ["c00", "c01"] },
      { id: "b", held: ["c02", "c03"] },
      { id: "c", held: [] },
    ]);
    expect(split).toEqual(
      new Map([
        ["a", ["c00", "c01"]],
        ["b", ["c02"]],
        ["c", ["c03"]],
      ]),
    );
  });

  it("every split is floor or ceil, covers each cluster once, from any holdings", () => {
    for (let n = 0; n <= 13; n++) {
      for (let w = 1; w <= 6; w++) {
        // Lopsided holdings: everything on the first worker, or spread round-robin over the first two.
        for (const start of [
          workerIds(w).map((id, i) => ({ id, held: i === 0 ? names(n) : [] })),
          workerIds(w).map((id, i) => ({ id, held: names(n).filter((_, j) => j % 2 === i) })),
        ]) {
          const split = assignClusters(names(n), start);
          for (const size of sizes(split)) expect([Math.floor(n / w), Math.ceil(n / w)]).toContain(size);
          expect([...split.values()].flat().sort()).toEqual(names(n));
        }
      }
    }
  });

  it("is the same whatever order workers, clusters and holdings come in", () => {
    const workers = [
      { id: "w2", held: ["c05", "c01", "c09"] },
      { id: "w0", held: ["c00", "c02"] },
      { id: "w1", held: [] },
      { id: "w3", held: ["c03", "c04", "c06", "c07"] },
    ];
    const expected = assignClusters(names(10), workers);
    const reversed = assignClusters(
      [...names(10)].reverse(),
      [...workers].reverse().map((w) => ({ id: w.id, held: [...w.held].reverse() })),
    );
    expect(reversed).toEqual(expected);
  });

  it("a fair split stays as it is: nothing moves", () => {
    for (const [n, w] of [
      [4, 3],
      [10, 4],
      [7, 7],
      [1, 3],
    ] as const) {
      const split = fresh(n, w);
      expect(moved(split, assignClusters(names(n), holdings(split)))).toBe(0);
    }
  });

  it("a worker joining takes only its share from the others", () => {
    const before = fresh(4, 2);
    const after = assignClusters(names(4), [...holdings(before), { id: "w9", held: [] }]);
    expect(sizes(after).sort()).toEqual([1, 1, 2]);
    expect(moved(before, after)).toBe(1);

    for (let n = 0; n <= 13; n++) {
      for (let w = 1; w <= 5; w++) {
        const start = fresh(n, w);
        const joined = assignClusters(names(n), [...holdings(start), { id: "w-new", held: [] }]);
        expect(joined.get("w-new")).toHaveLength(Math.floor(n / (w + 1)));
        expect(moved(start, joined), `${n} clusters, ${w} → ${w + 1} workers`).toBe(Math.floor(n / (w + 1)));
      }
    }
  });

  it("a worker leaving moves only its own clusters", () => {
    const before = fresh(10, 4);
    const leaving = [...before].find(([, held]) => held.length === 3)!;
    const after = assignClusters(
      names(10),
      holdings(before).filter((w) => w.id !== leaving[0]),
    );
    expect(sizes(after).sort()).toEqual([3, 3, 4]);
    expect(moved(before, after)).toBe(3);

    for (let n = 0; n <= 13; n++) {
      for (let w = 2; w <= 6; w++) {
        const start = fresh(n, w);
        for (const gone of workerIds(w)) {
          const left = assignClusters(
            names(n),
            holdings(start).filter((x) => x.id !== gone),
          );
          expect(moved(start, left), `${n} clusters, ${gone} of ${w} leaves`).toBe(start.get(gone)!.length);
        }
      }
    }
  });

  it("a cluster two workers claim goes to one of them, the same on every worker", () => {
    const split = assignClusters(
      ["a", "b"],
      [
        { id: "y", held: ["a"] },
        { id: "x", held: ["a"] },
      ],
    );
    expect(split).toEqual(
      new Map([
        ["x", ["a"]],
        ["y", ["b"]],
      ]),
    );
  });
});

describe("planBalance", () => {
  const candidates = ["a", "b", "c"];

  it("alone, a worker takes everything", () => {
    expect(planBalance({ candidates, self: "w1", held: [], others: [] })).toEqual({
      release: [],
      tryAcquire: ["a", "b", "c"],
    });
  });

  it("when a second worker joins, the first sheds down to its share", () => {
    expect(planBalance({ candidates, self: "w1", held: ["a", "b", "c"], others: [{ id: "w2", held: [] }] })).toEqual({
      release: ["c"],
      tryAcquire: [],
    });
  });

  it("the joining worker asks for exactly what the first sheds", () => {
    expect(planBalance({ candidates, self: "w2", held: [], others: [{ id: "w1", held: ["a", "b", "c"] }] })).toEqual({
      release: [],
      tryAcquire: ["c"],
    });
  });

  it("a third worker on four clusters gets one, and one of the others gives it up (2/1/1)", () => {
    const clusters = ["a", "b", "c", "d"];
    const others = [
      { id: "w1", held: ["a", "b"] },
      { id: "w2", held: ["c", "d"] },
    ];
    expect(planBalance({ candidates: clusters, self: "w3", held: [], others })).toEqual({
      release: [],
      tryAcquire: ["d"],
    });
    expect(
      planBalance({
        candidates: clusters,
        self: "w2",
        held: ["c", "d"],
        others: [others[0]!, { id: "w3", held: [] }],
      }),
    ).toEqual({ release: ["d"], tryAcquire: [] });
    expect(
      planBalance({
        candidates: clusters,
        self: "w1",
        held: ["a", "b"],
        others: [others[1]!, { id: "w3", held: [] }],
      }),
    ).toEqual({ release: [], tryAcquire: [] });
  });

  it("a cluster that left the registry is released whatever the share", () => {
    expect(planBalance({ candidates: ["a"], self: "w1", held: ["a", "z"], others: [] })).toEqual({
      release: ["z"],
      tryAcquire: [],
    });
  });

  it("when a worker leaves, the survivor takes its clusters", () => {
    expect(planBalance({ candidates, self: "w1", held: ["a", "b"], others: [] })).toEqual({
      release: [],
      tryAcquire: ["c"],
    });
  });

  it("what this worker holds wins over another's stale report of the same cluster", () => {
    // w0 handed "b" over but has not reported since; w1 holds it now and must not give it back.
    expect(
      planBalance({
        candidates: ["a", "b"],
        self: "w1",
        held: ["b"],
        others: [{ id: "w0", held: ["a", "b"] }],
      }),
    ).toEqual({ release: [], tryAcquire: [] });
  });
});

describe("independent workers with leases", () => {
  /**
   * Every worker steps on its own, seeing the others' reports from their last step, as pool workers do through
   * their heartbeats. A lease goes to whoever asks while it is free. Runs until nothing changes.
   */
  function settle(clusters: string[], workers: Map<string, string[]>): { moves: number; rounds: number } {
    const reports = new Map([...workers].map(([id, held]) => [id, [...held]]));
    const lease = new Map([...workers].flatMap(([id, held]) => held.map((c) => [c, id] as const)));
    let moves = 0;
    for (let round = 1; round <= 20; round++) {
      let changed = false;
      for (const [id, held] of workers) {
        reports.set(id, [...held]);
        const others = [...reports].filter(([other]) => other !== id).map(([other, h]) => ({ id: other, held: h }));
        const plan = planBalance({ candidates: clusters, self: id, held, others });
        for (const c of plan.release) {
          held.splice(held.indexOf(c), 1);
          lease.delete(c);
          changed = true;
        }
        for (const c of plan.tryAcquire) {
          if (lease.has(c)) continue;
          lease.set(c, id);
          held.push(c);
          moves++;
          changed = true;
        }
      }
      if (!changed) return { moves, rounds: round };
    }
    throw new Error(`no stable split: ${JSON.stringify([...workers])}`);
  }

  it("four clusters: one worker, then two (2/2), then three (2/1/1), moving only what must move", () => {
    const clusters = ["a", "b", "c", "d"];
    const workers = new Map<string, string[]>([["w1", []]]);
    expect(settle(clusters, workers).moves).toBe(4);

    workers.set("w2", []);
    expect(settle(clusters, workers).moves).toBe(2);
    expect(sizes(workers)).toEqual([2, 2]);

    workers.set("w3", []);
    expect(settle(clusters, workers).moves).toBe(1);
    expect(sizes(workers).sort()).toEqual([1, 1, 2]);

    const leaving = workers.get("w2")!.length;
    workers.delete("w2");
    expect(settle(clusters, workers).moves).toBe(leaving);
    expect(sizes(workers).sort()).toEqual([2, 2]);
    expect(new Set([...workers.values()].flat()).size).toBe(4);
  });
});
