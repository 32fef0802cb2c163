import type { AppDetail } from "@flotilla/api-contract/types";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { waitVerdict } from "./app-wait.ts";

const detail = (status: Partial<AppStatus> | undefined, syncRequest?: AppDetail["syncRequest"]): AppDetail => ({
  cluster: "prod",
  appSet: "shop",
  application: "web",
  conditions: [],
  diffs: [],
  ...(status !== undefined && {
    status: {
      cluster: "prod",
      appSet: "shop",
      application: "web",
      sync: "Synced",
      health: "Healthy",
      lastSyncAt: "2026-12-01T10:00:00.000Z",
      resources: [],
      ...status,
    },
  }),
  ...(syncRequest !== undefined && { syncRequest }),
});

const asked = { desiredDigest: "d2", requestId: "r1", since: "2026-12-01T10:00:00.000Z" };

describe("waitVerdict", () => {
  it.each([
    ["no status yet", detail(undefined), "waiting"],
    [
      "Synced at the digest but the request is still pending",
      detail({ desiredDigest: "d2" }, { id: "r1", prune: false, at: asked.since }),
      "waiting",
    ],
    [
      "Synced, Healthy at the asked digest, request honoured",
      detail({ desiredDigest: "d2", revision: "a".repeat(40) }),
      "converged",
    ],
    ["Synced at an older digest", detail({ desiredDigest: "d1" }), "waiting"],
    ["Progressing at the digest", detail({ desiredDigest: "d2", health: "Progressing" }), "waiting"],
    ["Degraded at the digest", detail({ desiredDigest: "d2", health: "Degraded", healthMessage: "crash" }), "failed"],
    [
      "an Error no retry will fix, after the request",
      detail({
        sync: "Error",
        lastError: { reason: "RenderFailed", message: "bad yaml", at: "2026-12-01T10:00:01.000Z", retrying: false },
      }),
      "failed",
    ],
    [
      "an Error that is retried",
      detail({
        sync: "Error",
        lastError: { reason: "ApplyFailed", message: "unreachable", at: "2026-12-01T10:00:01.000Z", retrying: true },
      }),
      "waiting",
    ],
    [
      "an Error from before the request",
      detail({
        sync: "Error",
        lastError: { reason: "RenderFailed", message: "old", at: "2026-12-01T09:00:00.000Z", retrying: false },
      }),
      "waiting",
    ],
  ])("%s → %s", (_why, d, state) => {
    expect(waitVerdict(d, asked).state).toBe(state);
  });

  it("the progress line says where it stands", () => {
    expect(
      waitVerdict(detail({ desiredDigest: "d2", health: "Progressing", healthMessage: "1 of 2 ready" }), asked).line,
    ).toBe("web on prod: Synced, Progressing: 1 of 2 ready");
    expect(
      waitVerdict(detail({ sync: "OutOfSync", health: "Missing" }, { id: "r1", prune: false, at: asked.since }), asked)
        .line,
    ).toBe("web on prod: OutOfSync, Missing (sync requested, waiting for a worker)");
  });
});
