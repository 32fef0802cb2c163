import type { AppStatus } from "@flotilla/status";
import type { GenerationRecord, HoldRecord, LostCluster, PendingDeletion } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { type FleetReader, showStatus } from "./fleet-status.ts";

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

interface FleetRecords {
  pending?: PendingDeletion[];
  lost?: LostCluster[];
  generations?: GenerationRecord[];
  holds?: HoldRecord[];
}

function fleetOf(statuses: AppStatus[], records: FleetRecords = {}): FleetReader {
  const { pending = [], lost = [], generations = [], holds = [] } = records;
  return {
    holds: async () => holds,
    clusters: async () => [...new Set([...statuses, ...pending].map((s) => s.cluster))],
    statuses: async (cluster) => statuses.filter((s) => s.cluster === cluster),
    pendingDeletions: async (cluster) => pending.filter((d) => d.cluster === cluster),
    lostClusters: async () => lost,
    generations: async () => generations,
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

  it("shows what the deletion guard holds, that a removed ApplicationSet is frozen, and exits 1 until it is decided", async () => {
    const { io, out } = run();
    const hold: HoldRecord = {
      appSet: "shop",
      kind: "removed",
      reason: "ApplicationSet removed from Git: …",
      applications: [{ application: "web-prod", cluster: "prod" }],
      since: "2026-12-01T09:00:00.000Z",
      commit: "c".repeat(40),
    };
    const fleet = fleetOf([status("web-prod", "prod")], { holds: [hold] });
    expect(await showStatus({ clusters: [], output: "table" }, fleet, io)).toBe(ExitCode.ElementErrors);
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
    const fleet = fleetOf([status("web-prod", "prod")], {
      pending: [owed, { ...owed, appSet: "blog", application: "x" }],
    });
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

  const lostProd: LostCluster = {
    name: "prod",
    server: "https://prod.example:6443",
    lostAt: "2026-11-24T22:00:00.000Z",
    detectedBy: "pool-1",
  };

  it("lists the pool clusters lost with Redis's data and what to do, and counts them as not well", async () => {
    const fleet = fleetOf([status("web-dev", "dev")], { lost: [lostProd] });
    const { io, out } = run();
    expect(await showStatus({ clusters: [], output: "table" }, fleet, io)).toBe(ExitCode.ElementErrors);
    const text = out.join("");
    expect(text).toContain(
      "1 pool cluster(s) lost with the Redis data: no worker serves them and their objects stay as they are; " +
        "register each again with its credentials, under the same name and server:",
    );
    expect(text).toMatch(/prod\s+│ https:\/\/prod\.example:6443\s+│ 2026-11-24 22:00:00\s+│ pool-1/);

    const json = run();
    await showStatus({ clusters: [], appSet: "shop", output: "json" }, fleet, json.io);
    expect((JSON.parse(json.out.join("")) as { lostClusters: LostCluster[] }).lostClusters).toEqual([lostProd]);

    const elsewhere = run();
    expect(await showStatus({ clusters: ["dev"], output: "table" }, fleet, elsewhere.io)).toBe(ExitCode.Ok);
    expect(elsewhere.out.join("")).not.toContain("lost");
    const asked = run();
    expect(await showStatus({ clusters: ["prod"], output: "json" }, fleet, asked.io)).toBe(ExitCode.ElementErrors);
    expect(JSON.parse(asked.out.join(""))).toMatchObject({ applications: [], lostClusters: [lostProd] });
  });

  const record = (appSet: string, over: Partial<GenerationRecord> = {}): GenerationRecord => ({
    appSet,
    commit: "c".repeat(40),
    time: "2026-11-24T21:30:00.000Z",
    counts: { applications: 2, creates: 0, updates: 0, deletes: 0, unchanged: 2, errors: 0 },
    errors: [],
    errorsTruncated: false,
    ...over,
  });

  it("shows each ApplicationSet whose last generation failed, had element errors or held deletions", async () => {
    const unregistered = {
      appSet: "edge",
      element: 2,
      application: "web-unknown",
      params: "name=unknown",
      message: 'spec.destination.server: "https://unknown:6443" is not the server of any registered cluster',
    };
    const generations = [
      record("blog", {
        generatorError: "fleet repository: unreachable",
        held: { count: 0, names: [], reason: "generation failed, previous generation stays in force: unreachable" },
      }),
      record("edge", {
        counts: { applications: 2, creates: 0, updates: 0, deletes: 0, unchanged: 2, errors: 4 },
        errors: [unregistered],
        errorsTruncated: true,
      }),
      record("fine"),
      record("shop", {
        held: {
          count: 7,
          names: ["a", "b", "c", "d", "e", "f", "g"],
          reason: "generation would delete all 7 Application(s); held by the deletion guard",
        },
      }),
    ];
    const fleet = fleetOf([status("web-prod", "prod")], { generations });
    const { io, out } = run();
    expect(await showStatus({ clusters: [], output: "table" }, fleet, io)).toBe(ExitCode.ElementErrors);
    const text = out.join("");
    expect(text).toContain("2 ApplicationSet(s) whose last generation did not do all that Git asks:");
    expect(text).toMatch(
      /blog\s+│ cccccccccccc\s+│ 2026-11-24 21:30:00\s+│ generation failed, nothing deleted, the previous generation stays in force: fleet repository: unreachable/,
    );
    expect(text).not.toContain("0 deletion(s) held");
    expect(text).toContain(
      'edge   │ cccccccccccc │ 2026-11-24 21:30:00 │ element 2 [name=unknown] (Application "web-unknown"): spec.destination.server',
    );
    expect(text).toMatch(/edge\s+│ .*│ and 3 more element error\(s\) not recorded/);
    // What the guard holds is shown from its hold records (with since when), not again from the generation record.
    expect(text).not.toContain("deletion(s) held");
    expect(text).not.toMatch(/^\s*(fine|shop)\s/m);

    const json = run();
    expect(await showStatus({ clusters: [], appSet: "edge", output: "json" }, fleet, json.io)).toBe(
      ExitCode.ElementErrors,
    );
    const printed = JSON.parse(json.out.join("")) as { generationProblems: GenerationRecord[] };
    expect(printed.generationProblems).toEqual([generations[1]]);
    const fine = run();
    expect(await showStatus({ clusters: [], appSet: "fine", output: "table" }, fleet, fine.io)).toBe(ExitCode.Ok);
    expect(fine.out.join("")).not.toContain("generation");
  });
});
