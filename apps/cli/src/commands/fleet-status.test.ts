import type { AppRef, AppStatus, HistoryEntry } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { type FleetReader, showHistory } from "./fleet-status.ts";

const status = (application: string, cluster: string, over: Partial<AppStatus> = {}): AppStatus => ({
  appSet: "shop",
  application,
  cluster,
  sync: "Synced",
  health: "Healthy",
  revision: "a".repeat(40),
  bundleDigest: `sha256:${"b".repeat(64)}`,
  lastSyncAt: "2026-11-24T21:00:00.000Z",
  resources: [],
  ...over,
});

function fleetOf(statuses: AppStatus[], records: { history?: HistoryEntry[] } = {}): FleetReader {
  const { history = [] } = records;
  return {
    statuses: async (cluster) => statuses.filter((s) => s.cluster === cluster),
    history: async (_ref: AppRef, limit) => history.slice(0, limit),
    revisionAt: async (_ref, time) => history.find((e) => e.at <= time)?.revision,
  };
}

function run() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe("flotilla history", () => {
  const entries: HistoryEntry[] = [
    { at: Date.parse("2026-11-24T21:00:00Z"), result: "Synced", revision: "b".repeat(40), jobId: "2" },
    { at: Date.parse("2026-11-24T20:00:00Z"), result: "Synced", revision: "a".repeat(40), jobId: "1" },
  ];

  it("lists the syncs newest first, finding the ApplicationSet by itself", async () => {
    const { io, out } = run();
    const code = await showHistory(
      { application: "web-prod", cluster: "prod", limit: 10, output: "table" },
      fleetOf([status("web-prod", "prod")], { history: entries }),
      io,
    );
    expect(code).toBe(ExitCode.Ok);
    expect(out.join("")).toMatch(/2026-11-24 21:00:00\.000 │ Synced\s+│ bbbbbbbbbbbb[\s\S]*2026-11-24 20:00:00\.000/);
  });

  it("answers which revision ran at a time, and says when the Application was not there", async () => {
    const fleet = fleetOf([status("web-prod", "prod")], { history: entries });
    const at = (time: string) => {
      const r = run();
      return showHistory(
        { application: "web-prod", cluster: "prod", limit: 10, output: "table", at: time },
        fleet,
        r.io,
      ).then((code) => ({ code, text: r.out.join("") + r.err.join("") }));
    };
    expect(await at("2026-11-24T20:30:00Z")).toEqual({
      code: ExitCode.Ok,
      text: `web-prod on prod at 2026-11-24T20:30:00.000Z ran ${"a".repeat(40)}\n`,
    });
    expect((await at("2026-11-24T19:00:00Z")).code).toBe(ExitCode.ElementErrors);
    expect(await at("yesterday-ish")).toMatchObject({ code: ExitCode.InvalidInput, text: /is not a time/ });
  });

  it("refuses to guess between ApplicationSets, and says when nothing is recorded", async () => {
    const fleet = fleetOf([status("web", "prod"), status("web", "prod", { appSet: "other" })]);
    const ambiguous = run();
    expect(
      await showHistory({ application: "web", cluster: "prod", limit: 5, output: "table" }, fleet, ambiguous.io),
    ).toBe(ExitCode.InvalidInput);
    expect(ambiguous.err.join("")).toContain("belongs to ApplicationSets shop, other; choose one with --appset");
    const missing = run();
    await showHistory({ application: "nope", cluster: "prod", limit: 5, output: "table" }, fleet, missing.io);
    expect(missing.err.join("")).toContain('no Application "nope" is recorded on cluster "prod"');
  });
});
