import type { HoldRecord, PendingDeletion } from "@flotilla/store";
import type { AppRef, AppStatus, HistoryEntry } from "@flotilla/worker";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { type FleetReader, showHistory, showStatus } from "./fleet-status.ts";

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

function fleetOf(
  statuses: AppStatus[],
  history: HistoryEntry[] = [],
  pending: PendingDeletion[] = [],
  holds: HoldRecord[] = [],
): FleetReader {
  return {
    holds: async () => holds,
    clusters: async () => [...new Set([...statuses, ...pending].map((s) => s.cluster))],
    statuses: async (cluster) => statuses.filter((s) => s.cluster === cluster),
    pendingDeletions: async (cluster) => pending.filter((d) => d.cluster === cluster),
    history: async (_ref: AppRef, limit) => history.slice(0, limit),
    revisionAt: async (_ref, time) => history.find((e) => e.at <= time)?.revision,
  };
}

function run() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe("flotilla status", () => {
  it("lists every Application on every cluster with a summary, and exits 0 when all is well", async () => {
    const { io, out } = run();
    const fleet = fleetOf([status("web-prod", "prod"), status("web-dev", "dev")]);
    expect(await showStatus({ clusters: [], output: "table" }, fleet, io)).toBe(ExitCode.Ok);
    const text = out.join("");
    expect(text).toMatch(/web-dev\s+│ shop\s+│ dev\s+│ Synced\s+│ Healthy\s+│ aaaaaaaaaaaa\s+│ bbbbbbbbbbbb/);
    expect(text.indexOf("web-dev")).toBeLessThan(text.indexOf("web-prod"));
    expect(text).toContain("2 Applications: 2 Synced, 0 OutOfSync, 0 Error; 2 Healthy, 0 Progressing, 0 Degraded");
  });

  it("shows what the deletion guard holds, and that a removed ApplicationSet is frozen", async () => {
    const { io, out } = run();
    const hold: HoldRecord = {
      appSet: "shop",
      kind: "removed",
      reason: "ApplicationSet removed from Git: …",
      applications: [{ application: "web-prod", cluster: "prod" }],
      since: "2026-12-01T09:00:00.000Z",
      commit: "c".repeat(40),
    };
    const fleet = fleetOf([status("web-prod", "prod")], [], [], [hold]);
    expect(await showStatus({ clusters: [], output: "table" }, fleet, io)).toBe(ExitCode.Ok);
    expect(out.join("")).toContain(
      "held: ApplicationSet shop (removed from Git, frozen) since 2026-12-01 09:00:00, at cccccccccccc: 1 Application(s): web-prod on prod\n  ApplicationSet removed from Git: …\n",
    );
  });

  it("shows why an Application is in Error and exits 1; filters by cluster and ApplicationSet", async () => {
    const broken = status("api-prod", "prod", {
      sync: "Error",
      lastError: { reason: "RenderFailed", message: "a.yaml: bad", at: "2026-11-24T21:00:00Z", retrying: false },
    });
    const fleet = fleetOf([broken, status("web-dev", "dev"), status("blog-prod", "prod", { appSet: "blog" })]);
    const { io, out } = run();
    expect(await showStatus({ clusters: ["prod"], appSet: "shop", output: "json" }, fleet, io)).toBe(
      ExitCode.ElementErrors,
    );
    const printed = JSON.parse(out.join("")) as { applications: AppStatus[]; pendingDeletions: PendingDeletion[] };
    expect(printed.applications.map((s) => s.application)).toEqual(["api-prod"]);
    expect(printed.pendingDeletions).toEqual([]);
    const table = run();
    await showStatus({ clusters: [], output: "table" }, fleet, table.io);
    expect(table.out.join("")).toContain("RenderFailed: a.yaml: bad");
  });

  it("says why a manual Application is OutOfSync", async () => {
    const message =
      "manual sync policy: 1 object(s) differ from Git at cccccccccccc; applied only when a sync is requested";
    const pending = status("web-prod", "prod", { sync: "OutOfSync", health: "Missing", syncMessage: message });
    const { io, out } = run();
    await showStatus({ clusters: [], output: "table" }, fleetOf([pending]), io);
    expect(out.join("")).toContain("manual sync policy: 1 object(s) differ from Git at cccccccccccc; applied only");
  });

  it("lists the deletions still owed, with attempts and last error, and counts them as not well", async () => {
    const owed: PendingDeletion = {
      cluster: "prod",
      appSet: "shop",
      application: "cart-prod",
      preserveResources: false,
      attempts: 9,
      lastError: "ConfigMap/shop/cart delete failed (forbidden)",
      since: Date.parse("2026-11-24T20:00:00Z"),
      lastAttemptAt: Date.parse("2026-11-24T20:30:00Z"),
      nextAttemptAt: Date.parse("2026-11-24T20:35:00Z"),
    };
    const fleet = fleetOf([status("web-prod", "prod")], [], [owed, { ...owed, appSet: "blog", application: "x" }]);
    const { io, out } = run();
    expect(await showStatus({ clusters: [], appSet: "shop", output: "table" }, fleet, io)).toBe(ExitCode.ElementErrors);
    const text = out.join("");
    expect(text).toContain("1 pending deletion(s), retried until done or abandoned");
    expect(text).toMatch(
      /cart-prod\s+│ shop\s+│ prod\s+│ 9\s+│ 2026-11-24 20:00:00\s+│ 2026-11-24 20:35:00\s+│ ConfigMap\/shop\/cart delete failed \(forbidden\)/,
    );
    expect(text).not.toMatch(/^x\s/m);
    const json = run();
    await showStatus({ clusters: ["prod"], output: "json" }, fleet, json.io);
    expect((JSON.parse(json.out.join("")) as { pendingDeletions: PendingDeletion[] }).pendingDeletions).toHaveLength(2);
  });
});

describe("flotilla history", () => {
  const entries: HistoryEntry[] = [
    { at: Date.parse("2026-11-24T21:00:00Z"), result: "Synced", revision: "b".repeat(40), jobId: "2" },
    { at: Date.parse("2026-11-24T20:00:00Z"), result: "Synced", revision: "a".repeat(40), jobId: "1" },
  ];

  it("lists the syncs newest first, finding the ApplicationSet by itself", async () => {
    const { io, out } = run();
    const code = await showHistory(
      { application: "web-prod", cluster: "prod", limit: 10, output: "table" },
      fleetOf([status("web-prod", "prod")], entries),
      io,
    );
    expect(code).toBe(ExitCode.Ok);
    expect(out.join("")).toMatch(/2026-11-24 21:00:00\.000 │ Synced\s+│ bbbbbbbbbbbb[\s\S]*2026-11-24 20:00:00\.000/);
  });

  it("answers which revision ran at a time, and says when the Application was not there", async () => {
    const fleet = fleetOf([status("web-prod", "prod")], entries);
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
