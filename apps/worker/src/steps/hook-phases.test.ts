import type { ResourceStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { failedBefore, hookProgressOf } from "./hook-phases.ts";
import { hooksDue } from "./hook-run.ts";
import { hookResources } from "./run-hooks.ts";

const state = { desiredDigest: "d1", bundleDigest: "sha256:b1" };
const at = new Date("2026-12-01T12:00:00Z");
const resources: ResourceStatus[] = [
  { id: "/ConfigMap/a/cfg", action: "created", health: "Healthy" },
  { id: "batch/Job/a/migrate", action: "deleted", health: "Healthy", message: "job complete", hook: "PreSync" },
];

describe("hook progress", () => {
  it("keeps the hook rows of the record it continues, and starts a fresh record empty", () => {
    const hooks = { ...state, phases: { PreSync: "Succeeded" as const }, at: "t" };
    const continued = hooksDue({ hooks }, state, { requested: false, at });
    expect(hookProgressOf(continued, { hooks, resources }).resources).toEqual([resources[1]]);
    const fresh = hooksDue({ hooks }, { ...state, bundleDigest: "sha256:b2" }, { requested: false, at });
    expect(hookProgressOf(fresh, { hooks, resources })).toEqual({ run: fresh.run, resources: [] });
  });

  it("refuses to run a failed phase again with the reason it failed the first time", () => {
    const hooks = {
      ...state,
      phases: { PreSync: "Failed" as const },
      message: "Job/a/migrate: job failed: BackoffLimitExceeded",
      at: "t",
    };
    const err = failedBefore(hooksDue({ hooks }, state, { requested: false, at }));
    expect(err?.phase).toBe("PreSync");
    expect(err?.retryable).toBe(false);
    expect(err?.message).toBe(
      "PreSync hook failed: Job/a/migrate: job failed: BackoffLimitExceeded (for this desired state already; hooks run once per desired state: change it in Git or request a sync to run them again)",
    );
    expect(failedBefore(hooksDue(undefined, state, { requested: false, at }))).toBeUndefined();
  });

  it("shows each hook Job once, as its latest run left it", () => {
    const rows = hookResources([
      {
        phase: "PostSync",
        id: "batch/Job/a/n",
        subject: "Job/a/n",
        succeeded: false,
        action: "created",
        health: "Degraded",
        message: "job failed",
      },
      {
        phase: "SyncFail",
        id: "batch/Job/a/n",
        subject: "Job/a/n",
        succeeded: true,
        action: "deleted",
        health: "Healthy",
        message: "job complete",
      },
    ]);
    expect(rows).toEqual([
      { id: "batch/Job/a/n", action: "deleted", health: "Healthy", message: "job complete", hook: "SyncFail" },
    ]);
  });
});
