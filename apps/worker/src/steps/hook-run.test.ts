import type { HookRun } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { hooksDue, phaseEnded } from "./hook-run.ts";

const state = { desiredDigest: "d1", bundleDigest: "sha256:b1" };
const at = new Date("2026-12-01T12:00:00Z");
const run = (phases: HookRun["phases"], over: Partial<HookRun> = {}): HookRun => ({
  ...state,
  phases,
  at: "2026-12-01T11:00:00.000Z",
  ...over,
});
const due = (hooks: HookRun | undefined, requested = false) =>
  hooksDue(hooks === undefined ? undefined : { hooks }, state, { requested, at });

describe("hooks run once per desired state", () => {
  it("runs every phase for a desired state seen for the first time", () => {
    expect(due(undefined)).toEqual({
      run: { ...state, phases: {}, at: at.toISOString() },
      preSync: true,
      postSync: true,
      syncFail: true,
    });
  });

  it("runs none on a re-sync of a state whose hooks all ran", () => {
    const d = due(run({ PreSync: "Succeeded", PostSync: "Succeeded" }));
    expect([d.preSync, d.postSync, d.failedBefore]).toEqual([false, false, undefined]);
  });

  it("goes on after the phase that ended: a retry after a failed wave runs PostSync, not PreSync again", () => {
    const d = due(run({ PreSync: "Succeeded" }));
    expect([d.preSync, d.postSync]).toEqual([false, true]);
  });

  it.each([
    ["a new bundle", { bundleDigest: "sha256:b2" }],
    ["a new desired digest", { desiredDigest: "d2" }],
  ])("starts over for %s", (_name, change) => {
    const d = due(run({ PreSync: "Failed", PostSync: "Succeeded", SyncFail: "Succeeded" }, change));
    expect(d).toMatchObject({ preSync: true, postSync: true, syncFail: true, run: { ...state, phases: {} } });
    expect(d.failedBefore).toBeUndefined();
  });

  it("does not run a failed phase again for the same state, nor SyncFail twice", () => {
    const d = due(run({ PreSync: "Failed", SyncFail: "Succeeded" }, { message: "Job/a/migrate: job failed" }));
    expect(d).toMatchObject({ preSync: false, postSync: false, syncFail: false, failedBefore: "PreSync" });
    expect(due(run({ PreSync: "Succeeded", PostSync: "Failed" })).failedBefore).toBe("PostSync");
  });

  it("runs everything again for a requested sync, as an explicit sync operation", () => {
    const d = due(run({ PreSync: "Failed", SyncFail: "Succeeded" }), true);
    expect(d).toMatchObject({ preSync: true, postSync: true, syncFail: true, run: { phases: {} } });
  });

  it("records a phase's end, with the failure's words", () => {
    const start = run({});
    const ok = phaseEnded(start, "PreSync", { failed: false, at });
    expect(ok).toEqual({ ...start, phases: { PreSync: "Succeeded" }, at: at.toISOString() });
    const failed = phaseEnded(ok, "PostSync", { failed: true, message: "Job/a/notify: job failed", at });
    expect(failed.phases).toEqual({ PreSync: "Succeeded", PostSync: "Failed" });
    expect(failed.message).toBe("Job/a/notify: job failed");
    expect(start.phases).toEqual({});
  });
});
