import type { AppDetail } from "@flotilla/api-contract/types";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { waitForSync } from "./app-sync.ts";

const seen = (status: Partial<AppStatus>): AppDetail => ({
  cluster: "prod",
  appSet: "shop",
  application: "web",
  conditions: [],
  diffs: [],
  status: {
    cluster: "prod",
    appSet: "shop",
    application: "web",
    sync: "OutOfSync",
    health: "Missing",
    lastSyncAt: "2026-12-01T10:00:00.000Z",
    resources: [],
    ...status,
  },
});

/** An API that answers each look with the next state, repeating the last. */
function api(states: AppDetail[]) {
  let i = 0;
  return { get: async <T>() => states[Math.min(i++, states.length - 1)] as T };
}

function io(isTTY: boolean) {
  const err: string[] = [];
  return { io: { stdout: () => {}, stderr: (t: string) => err.push(t), isTTY }, err };
}

const request = {
  path: "/api/v1/applications/prod/web",
  appSet: "shop",
  asked: { desiredDigest: "d2", since: "2026-12-01T10:00:00.000Z" },
  timeoutMs: 30_000,
  pollMs: 1,
};

const states = [
  seen({}),
  seen({}),
  seen({ sync: "Synced", health: "Progressing", desiredDigest: "d2" }),
  seen({ sync: "Synced", health: "Healthy", desiredDigest: "d2" }),
];

describe("app sync --wait", () => {
  it("off a terminal: one plain line per change, then the outcome; exit 0 once Synced and Healthy", async () => {
    const { io: out, err } = io(false);
    expect(await waitForSync({ io: out }, api(states), request)).toBe(ExitCode.Ok);
    expect(err).toEqual([
      "web on prod: OutOfSync, Missing\n",
      "web on prod: Synced, Progressing\n",
      "web on prod: Synced, Healthy: synced\n",
    ]);
  });

  it("on a terminal: one line redrawn in place, ended by the outcome", async () => {
    const { io: out, err } = io(true);
    expect(await waitForSync({ io: out }, api(states), request)).toBe(ExitCode.Ok);
    expect(err).toEqual([
      "\r\u001b[2Kweb on prod: OutOfSync, Missing",
      "\r\u001b[2Kweb on prod: Synced, Progressing",
      "\r\u001b[2Kweb on prod: Synced, Healthy: synced\n",
    ]);
  });

  it("Degraded is exit 1; running out of time is exit 1 with what it last saw", async () => {
    const degraded = io(false);
    const code = await waitForSync(
      { io: degraded.io },
      api([seen({ sync: "Synced", health: "Degraded", desiredDigest: "d2", healthMessage: "CrashLoopBackOff" })]),
      request,
    );
    expect(code).toBe(ExitCode.Unwell);
    expect(degraded.err).toEqual(["web on prod: Synced, Degraded: CrashLoopBackOff: sync failed\n"]);
    const late = io(false);
    expect(await waitForSync({ io: late.io }, api([seen({})]), { ...request, timeoutMs: 20 })).toBe(ExitCode.Unwell);
    expect(late.err.at(-1)).toBe("timed out after 20ms; last seen: web on prod: OutOfSync, Missing\n");
  });
});
