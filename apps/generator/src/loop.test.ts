import { describe, expect, it } from "vitest";
import { GenerationLoop, mergeScopes, type Scope } from "./loop.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("GenerationLoop", () => {
  it("runs rollout ticks between cycles, never during one, and a trigger during a tick runs right after it", async () => {
    const events: string[] = [];
    let active = 0;
    const cycleGate = deferred();
    const ticked = deferred();
    const tickGate = deferred();
    const followUp = deferred();
    let cycles = 0;
    const loop = new GenerationLoop({
      intervalMs: 3_600_000,
      run: async () => {
        active++;
        events.push(`cycle ${++cycles} (${active} running)`);
        if (cycles === 1) await cycleGate.promise;
        if (cycles === 2) followUp.resolve();
        active--;
      },
      onError: () => undefined,
      tick: {
        intervalMs: 5,
        run: async () => {
          active++;
          events.push(`tick (${active} running)`);
          ticked.resolve();
          await tickGate.promise;
          active--;
        },
      },
    });
    loop.start();
    // Ticks fall due while the first cycle runs: none starts.
    await new Promise((r) => setTimeout(r, 40));
    expect(events).toEqual(["cycle 1 (1 running)"]);
    cycleGate.resolve();
    await ticked.promise;
    loop.trigger("webhook");
    tickGate.resolve();
    await followUp.promise;
    await loop.stop();
    expect(events.slice(0, 3)).toEqual(["cycle 1 (1 running)", "tick (1 running)", "cycle 2 (1 running)"]);
    expect(events.every((e) => e.endsWith("(1 running)"))).toBe(true);
  });

  it("coalesces a burst of 50 triggers during a cycle into one follow-up cycle", async () => {
    const runs: (readonly string[])[] = [];
    const gate = deferred();
    const second = deferred();
    const loop = new GenerationLoop({
      intervalMs: 3_600_000,
      run: async (_scope, reasons) => {
        runs.push(reasons);
        if (runs.length === 1) await gate.promise;
        if (runs.length === 2) second.resolve();
      },
      onError: () => undefined,
    });
    loop.start();
    for (let i = 0; i < 50; i++) loop.trigger(`webhook ${i}`);
    gate.resolve();
    await second.promise;
    await new Promise((r) => setTimeout(r, 20));
    await loop.stop();
    expect(runs).toHaveLength(2);
    expect(runs[1]).toHaveLength(50);
  });

  it("runs exactly one follow-up covering every trigger that arrived meanwhile", async () => {
    const runs: { scope: Scope; reasons: readonly string[] }[] = [];
    const gate = deferred();
    const done = deferred();
    const loop = new GenerationLoop({
      intervalMs: 3_600_000,
      run: async (scope, reasons) => {
        runs.push({ scope, reasons });
        if (runs.length === 1) await gate.promise;
        if (runs.length === 2) done.resolve();
      },
      onError: () => undefined,
    });
    loop.start();
    loop.trigger("cluster a", ["set-1"]);
    loop.trigger("cluster b", ["set-2"]);
    gate.resolve();
    await done.promise;
    await loop.stop();
    expect(runs).toEqual([
      { scope: { kind: "all" }, reasons: ["startup"] },
      { scope: { kind: "some", appSets: new Set(["set-1", "set-2"]) }, reasons: ["cluster a", "cluster b"] },
    ]);
  });

  it("keeps running after a cycle throws", async () => {
    const errors: unknown[] = [];
    const second = deferred();
    let n = 0;
    const loop = new GenerationLoop({
      intervalMs: 3_600_000,
      run: async () => {
        n++;
        if (n === 1) throw new Error("boom");
        second.resolve();
      },
      onError: (e) => errors.push(e),
    });
    loop.start();
    loop.trigger("again");
    await second.promise;
    await loop.stop();
    expect((errors[0] as Error).message).toBe("boom");
  });
});

describe("mergeScopes", () => {
  it("all wins; otherwise the union", () => {
    expect(mergeScopes({ kind: "all" }, { kind: "some", appSets: new Set(["a"]) })).toEqual({ kind: "all" });
    expect(mergeScopes({ kind: "some", appSets: new Set(["a"]) }, { kind: "some", appSets: new Set(["b"]) })).toEqual({
      kind: "some",
      appSets: new Set(["a", "b"]),
    });
  });
});
