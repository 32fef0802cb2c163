import { allowedInFlight, parseMaxUpdate, type RollingSyncStep } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { advanceRollout } from "./advance.ts";
import { promoteRollout, resumeRollout } from "./operator.ts";
import { type ChangedApp, carriesChangeSet, planRollout } from "./plan.ts";
import type { Observation, Rollout } from "./types.ts";

const env = (value: string, maxUpdate?: number | string): RollingSyncStep => ({
  matchExpressions: [{ key: "env", operator: "In", values: [value] }],
  ...(maxUpdate !== undefined && { maxUpdate }),
});
const app = (application: string, labels: Record<string, string>, digest = `d-${application}`): ChangedApp => ({
  application,
  cluster: `c-${application}`,
  labels,
  desiredDigest: digest,
});
const now = new Date("2026-12-01T12:00:00Z");
const plan = (steps: RollingSyncStep[], updates: ChangedApp[], deletes: ChangedApp[] = []) =>
  planRollout({ id: "r1", appSet: "shop", commit: "c1", steps, updates, deletes, now });

/** A status as the worker writes it once the Application's sync at `digest` ran. */
const synced = (digest: string, health = "Healthy"): Observation => ({
  status: { desiredDigest: digest, sync: "Synced", health },
});
const stateOf = (r: Rollout) => Object.fromEntries(r.applications.map((a) => [a.application, a.state]));

describe("maxUpdate", () => {
  it.each([
    [undefined, { kind: "percent", percent: 100 }],
    [0, { kind: "count", count: 0 }],
    [3, { kind: "count", count: 3 }],
    ["0%", { kind: "percent", percent: 0 }],
    ["25%", { kind: "percent", percent: 25 }],
    ["100%", { kind: "percent", percent: 100 }],
  ])("%j reads as %j", (written, read) => expect(parseMaxUpdate(written)).toEqual(read));

  it.each([["150%"], ["-1"], ["abc"], [-1], [1.5], [Number.NaN], [""], [" 5%"], ["5.5%"], ["01%"], ["2"]])(
    "hostile %j is refused",
    (written) => expect(parseMaxUpdate(written as number | string)).toBeUndefined(),
  );

  it.each([
    [{ kind: "percent", percent: 25 } as const, 3, 1],
    [{ kind: "percent", percent: 50 } as const, 5, 2],
    [{ kind: "percent", percent: 100 } as const, 7, 7],
    [{ kind: "percent", percent: 0 } as const, 7, 0],
    [{ kind: "count", count: 2 } as const, 7, 2],
  ])("%j of %i allows %i in flight", (max, size, allowed) => expect(allowedInFlight(max, size)).toBe(allowed));
});

describe("planRollout", () => {
  it("orders updates by step (first match wins), unmatched last, and deletions in reverse; empty steps are dropped", () => {
    const steps = [env("dev"), { matchExpressions: [{ key: "tier", operator: "Exists" as const }] }, env("prod")];
    const r = plan(
      steps,
      [app("p", { env: "prod" }), app("d", { env: "dev", tier: "web" }), app("x", {}), app("t", { tier: "a" })],
      [app("gone-dev", { env: "dev" }), app("gone-prod", { env: "prod" }), app("gone-x", {})],
    );
    expect(r.steps.map((s) => `${s.change}:${s.index}`)).toEqual([
      "update:0",
      "update:1",
      "update:2",
      "update:null",
      "delete:null",
      "delete:2",
      "delete:0",
    ]);
    // "d" matches step 0 and step 1: the first wins.
    expect(r.applications.map((a) => `${a.application}@${a.step}`)).toEqual([
      "d@0",
      "t@1",
      "p@2",
      "x@3",
      "gone-x@4",
      "gone-prod@5",
      "gone-dev@6",
    ]);
    expect(new Set(r.applications.map((a) => a.state))).toEqual(new Set(["Waiting"]));
  });

  it("an empty change set is a rollout with nothing to do, complete at once", () => {
    const r = advanceRollout(plan([env("dev")], []), new Map(), now).rollout;
    expect(r.phase).toBe("Completed");
    expect(r.steps).toEqual([]);
  });

  it("knows its own change set, also once part of it is in force, and sees a newer one as different", () => {
    const updates = [app("a", { env: "dev" }), app("b", { env: "prod" })];
    const deletes = [app("gone", { env: "dev" }, undefined)];
    delete deletes[0]!.desiredDigest;
    const r = plan([env("dev")], updates, deletes);
    const none = new Map<string, string>([["gone", "x"]]);
    expect(carriesChangeSet(r, { updates: [...updates].reverse(), deletes }, none)).toBe(true);
    // "a" was released: the store holds its target, so the generation no longer changes it.
    expect(
      carriesChangeSet(
        r,
        { updates: updates.slice(1), deletes },
        new Map([
          ["a", "d-a"],
          ["gone", "x"],
        ]),
      ),
    ).toBe(true);
    // ... but "a" missing while the store does not hold its target: the generation reverted it.
    expect(carriesChangeSet(r, { updates: updates.slice(1), deletes }, none)).toBe(false);
    expect(carriesChangeSet(r, { updates: [updates[0]!, app("b", { env: "prod" }, "newer")], deletes }, none)).toBe(
      false,
    );
    expect(carriesChangeSet(r, { updates: [...updates, app("c", {})], deletes }, none)).toBe(false);
    // The deletion was carried out: gone from the store.
    expect(carriesChangeSet(r, { updates, deletes: [] }, new Map())).toBe(true);
    expect(carriesChangeSet(r, { updates, deletes: [] }, none)).toBe(false);
  });
});

describe("advanceRollout", () => {
  const threeSteps = () =>
    plan(
      [env("dev"), env("staging"), env("prod")],
      [app("web-dev", { env: "dev" }), app("web-staging", { env: "staging" }), app("web-prod", { env: "prod" })],
    );

  it("releases one step at a time, each when the earlier ones are Synced at the new digest and Healthy", () => {
    let step = advanceRollout(threeSteps(), new Map(), now);
    expect(step.release).toEqual({ updates: ["web-dev"], deletes: [] });
    expect(stateOf(step.rollout)).toEqual({
      "web-dev": "Progressing",
      "web-staging": "Waiting",
      "web-prod": "Waiting",
    });

    // Healthy at the previous desired digest says nothing of the new one.
    step = advanceRollout(step.rollout, new Map([["web-dev", synced("old")]]), now);
    expect(step.release.updates).toEqual([]);
    // Synced at the new digest but still Progressing: not yet.
    step = advanceRollout(step.rollout, new Map([["web-dev", synced("d-web-dev", "Progressing")]]), now);
    expect(step.release.updates).toEqual([]);
    step = advanceRollout(step.rollout, new Map([["web-dev", synced("d-web-dev")]]), now);
    expect(step.release.updates).toEqual(["web-staging"]);
    expect(step.rollout.steps.map((s) => s.state)).toEqual(["Completed", "Progressing", "Waiting"]);

    const all = new Map([
      ["web-dev", synced("d-web-dev")],
      ["web-staging", synced("d-web-staging")],
    ]);
    step = advanceRollout(step.rollout, all, now);
    expect(step.release.updates).toEqual(["web-prod"]);
    all.set("web-prod", synced("d-web-prod"));
    step = advanceRollout(step.rollout, all, now);
    expect(step.rollout.phase).toBe("Completed");
    expect(advanceRollout(step.rollout, all, now)).toMatchObject({ changed: false, release: { updates: [] } });
  });

  it("a Degraded Application halts the rollout with a condition naming it; nothing later is released", () => {
    let step = advanceRollout(threeSteps(), new Map(), now);
    const seen = new Map([["web-dev", synced("d-web-dev", "Degraded")]]);
    seen.get("web-dev")!.status!.healthMessage = "progress deadline exceeded";
    step = advanceRollout(step.rollout, seen, now);
    expect(step.rollout.phase).toBe("Halted");
    expect(step.rollout.condition).toMatchObject({ reason: "Degraded", application: "web-dev", cluster: "c-web-dev" });
    expect(step.rollout.condition?.message).toContain("web-dev on c-web-dev: Degraded: progress deadline exceeded");
    expect(step.rollout.steps[0]!.state).toBe("Halted");
    // Even once it recovers, the halt stands until an operator resumes (or a new commit supersedes).
    step = advanceRollout(step.rollout, new Map([["web-dev", synced("d-web-dev")]]), now);
    expect(step.release.updates).toEqual([]);
    expect(step.rollout.phase).toBe("Halted");
  });

  it("resume waives the Applications that halted it and goes on; promote is refused while halted", () => {
    let step = advanceRollout(threeSteps(), new Map(), now);
    step = advanceRollout(step.rollout, new Map([["web-dev", synced("d-web-dev", "Degraded")]]), now);
    expect(promoteRollout(step.rollout, now)).toMatchObject({ ok: false, problem: expect.stringContaining("halted") });
    const resumed = resumeRollout(step.rollout, now);
    if (!resumed.ok) throw new Error(resumed.problem);
    expect(resumed.rollout.condition).toBeUndefined();
    step = advanceRollout(resumed.rollout, new Map([["web-dev", synced("d-web-dev", "Degraded")]]), now);
    expect(step.release.updates).toEqual(["web-staging"]);
    expect(resumeRollout(step.rollout, now)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("not halted"),
    });
  });

  it("a sync that failed for good halts; one that will be retried keeps Progressing", () => {
    let step = advanceRollout(threeSteps(), new Map(), now);
    const failing = (retrying: boolean): Map<string, Observation> =>
      new Map([
        [
          "web-dev",
          {
            status: {
              desiredDigest: "d-web-dev",
              sync: "Error",
              health: "Unknown",
              error: { message: "apply refused", retrying },
            },
          },
        ],
      ]);
    step = advanceRollout(step.rollout, failing(true), now);
    expect(step.rollout.phase).toBe("Progressing");
    step = advanceRollout(step.rollout, failing(false), now);
    expect(step.rollout.condition).toMatchObject({ reason: "SyncFailed", application: "web-dev" });
  });

  it("maxUpdate 1 over a step of several never has two in flight", () => {
    const names = ["a", "b", "c", "d"];
    let r = plan(
      [env("prod", 1)],
      names.map((n) => app(n, { env: "prod" })),
    );
    const seen = new Map<string, Observation>();
    const released: string[] = [];
    for (let round = 0; round < 10 && r.phase !== "Completed"; round++) {
      const step = advanceRollout(r, seen, now);
      r = step.rollout;
      released.push(...step.release.updates);
      expect(r.applications.filter((a) => a.state === "Progressing").length).toBeLessThanOrEqual(1);
      // The worker syncs whatever is in flight.
      for (const a of r.applications.filter((x) => x.state === "Progressing")) {
        seen.set(a.application, synced(a.desiredDigest!));
      }
    }
    expect(released).toEqual(names);
    expect(r.phase).toBe("Completed");
  });

  it("25% of three is one at a time; the others are Pending with the reason", () => {
    const r = advanceRollout(
      plan(
        [env("prod", "25%")],
        ["a", "b", "c"].map((n) => app(n, { env: "prod" })),
      ),
      new Map(),
      now,
    ).rollout;
    expect(stateOf(r)).toEqual({ a: "Progressing", b: "Pending", c: "Pending" });
    expect(r.applications[1]!.message).toBe("waiting for a slot (maxUpdate 1)");
  });

  it("a manual gate (maxUpdate 0) waits for promote, which releases the whole step", () => {
    let step = advanceRollout(
      plan(
        [env("dev"), env("prod", 0)],
        [app("d", { env: "dev" }), app("p1", { env: "prod" }), app("p2", { env: "prod" })],
      ),
      new Map(),
      now,
    );
    expect(promoteRollout(step.rollout, now)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("manual gate"),
    });
    const seen = new Map([["d", synced("d-d")]]);
    step = advanceRollout(step.rollout, seen, now);
    expect(step.release.updates).toEqual([]);
    expect(step.rollout.steps[1]!.state).toBe("Gated");
    expect(stateOf(step.rollout)).toMatchObject({ p1: "Pending", p2: "Pending" });
    // Ticks without a promote change nothing.
    expect(advanceRollout(step.rollout, seen, now).changed).toBe(false);
    const promoted = promoteRollout(step.rollout, now);
    if (!promoted.ok) throw new Error(promoted.problem);
    step = advanceRollout(promoted.rollout, seen, now);
    expect(step.release.updates).toEqual(["p1", "p2"]);
  });

  it("deletions run after the updates, in reverse step order, and a failed one halts", () => {
    let step = advanceRollout(
      plan(
        [env("dev"), env("prod")],
        [app("new-dev", { env: "dev" })],
        [app("old-dev", { env: "dev" }), app("old-prod", { env: "prod" })],
      ),
      new Map([
        ["old-dev", synced("x")],
        ["old-prod", synced("y")],
      ]),
      now,
    );
    expect(step.release).toEqual({ updates: ["new-dev"], deletes: [] });
    const seen = new Map<string, Observation>([
      ["new-dev", synced("d-new-dev")],
      ["old-dev", synced("x")],
      ["old-prod", synced("y")],
    ]);
    step = advanceRollout(step.rollout, seen, now);
    expect(step.release).toEqual({ updates: [], deletes: ["old-prod"] });
    // Still there: the delete has not run.
    step = advanceRollout(step.rollout, seen, now);
    expect(step.release.deletes).toEqual([]);
    seen.set("old-prod", { deletionFailed: "cluster unreachable" });
    step = advanceRollout(step.rollout, seen, now);
    expect(step.rollout.condition).toMatchObject({ reason: "DeleteFailed", application: "old-prod" });
    const resumed = resumeRollout(step.rollout, now);
    if (!resumed.ok) throw new Error(resumed.problem);
    seen.delete("old-prod");
    step = advanceRollout(resumed.rollout, seen, now);
    expect(step.release.deletes).toEqual(["old-dev"]);
    seen.delete("old-dev");
    expect(advanceRollout(step.rollout, seen, now).rollout.phase).toBe("Completed");
  });

  it("never has two steps with Applications in flight, whatever order the workers finish in", () => {
    const updates = Array.from({ length: 12 }, (_, i) => app(`app${i}`, { env: ["dev", "staging", "prod"][i % 3]! }));
    let r = plan([env("dev", 2), env("staging", "50%"), env("prod")], updates);
    const seen = new Map<string, Observation>();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200 && r.phase !== "Completed"; round++) {
      r = advanceRollout(r, seen, now).rollout;
      const inFlightSteps = new Set(r.applications.filter((a) => a.state === "Progressing").map((a) => a.step));
      expect(inFlightSteps.size).toBeLessThanOrEqual(1);
      for (const a of r.applications.filter((x) => x.state === "Progressing")) {
        if (random() < 0.3) seen.set(a.application, synced(a.desiredDigest!));
      }
    }
    expect(r.phase).toBe("Completed");
  });
});
