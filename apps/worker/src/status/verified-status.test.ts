import type { DriftEntry, HealthReport } from "@flotilla/kube";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { unchangedSince, verifiedStatus } from "./verified-status.ts";

const last: AppStatus = {
  appSet: "set",
  application: "web",
  cluster: "dev",
  sync: "Synced",
  health: "Progressing",
  revision: "c1",
  fleetRevision: "f1",
  bundleDigest: "sha256:1",
  desiredDigest: "h1",
  lastSyncAt: "2026-03-15T12:00:00.000Z",
  resources: [
    { id: "/ConfigMap/ns/cfg", action: "created", health: "Healthy" },
    { id: "apps/Deployment/ns/web", action: "created", health: "Progressing" },
    { id: "/ConfigMap/ns/gone", action: "deleted", health: "Missing" },
  ],
};

const healthy: HealthReport = {
  objects: [
    { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", verdict: { status: "Healthy", message: "exists" } },
    { id: "apps/Deployment/ns/web", subject: "Deployment/ns/web", verdict: { status: "Healthy", message: "1 of 1" } },
  ],
  aggregate: { status: "Healthy", message: "2 objects healthy" },
};

const clean: DriftEntry[] = [
  { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", drifted: false, paths: [] },
  { id: "apps/Deployment/ns/web", subject: "Deployment/ns/web", drifted: false, paths: [] },
];

const at = new Date("2026-03-15T12:03:00Z");

describe("unchangedSince", () => {
  const current = { revision: "c1", bundleDigest: "sha256:1", desiredDigest: "h1" };
  it.each([
    { name: "same commit, output and Application", last, current, expected: true },
    { name: "no previous sync", last: undefined, current, expected: false },
    { name: "the last sync failed", last: { ...last, sync: "Error" as const }, current, expected: false },
    { name: "a new commit", last, current: { ...current, revision: "c2" }, expected: false },
    { name: "a new render output", last, current: { ...current, bundleDigest: "sha256:2" }, expected: false },
    { name: "a changed Application", last, current: { ...current, desiredDigest: "h2" }, expected: false },
  ])("$name → $expected", ({ last: previous, current: now, expected }) => {
    expect(unchangedSince(previous, now)).toBe(expected);
  });
});

describe("verifiedStatus", () => {
  it("no drift: Synced, fresh health, pruned objects dropped", () => {
    const status = verifiedStatus(last, clean, healthy, at);
    expect(status).toMatchObject({ sync: "Synced", health: "Healthy", revision: "c1", lastSyncAt: at.toISOString() });
    expect(status.resources.map((r) => [r.id, r.action, r.health])).toEqual([
      ["/ConfigMap/ns/cfg", "unchanged", "Healthy"],
      ["apps/Deployment/ns/web", "unchanged", "Healthy"],
    ]);
  });

  it("a drifted object makes it OutOfSync and names the paths", () => {
    const differences = [{ path: "spec.replicas", desired: "2", live: "5" }];
    const drift = [clean[0]!, { ...clean[1]!, drifted: true, paths: ["spec.replicas"], differences }];
    const status = verifiedStatus(last, drift, healthy, at);
    expect(status.sync).toBe("OutOfSync");
    expect(status.resources.find((r) => r.id === "apps/Deployment/ns/web")).toMatchObject({
      drift: ["spec.replicas"],
      diff: differences,
    });
  });

  it("stale objects kept by prune-off stay and keep it OutOfSync", () => {
    const withStale: AppStatus = {
      ...last,
      sync: "OutOfSync",
      resources: [...last.resources, { id: "/ConfigMap/ns/old", action: "stale", health: "Unknown" }],
    };
    expect(verifiedStatus(withStale, clean, healthy, at).sync).toBe("OutOfSync");
  });

  it("clears the last error", () => {
    const failed: AppStatus = {
      ...last,
      lastError: { reason: "HealthCheckFailed", message: "x", at: last.lastSyncAt, retrying: true },
    };
    expect(verifiedStatus(failed, clean, healthy, at).lastError).toBeUndefined();
  });

  it("keeps hook rows as they were: a hook deleted by its policy is no drift and no health", () => {
    const hook = {
      id: "batch/Job/ns/migrate",
      action: "deleted" as const,
      health: "Healthy" as const,
      message: "job complete",
      hook: "PreSync" as const,
    };
    const status = verifiedStatus({ ...last, resources: [...last.resources, hook] }, [], healthy, new Date());
    expect(status.resources).toContainEqual(hook);
    expect(status.sync).toBe("Synced");
    expect(status.health).toBe("Healthy");
  });
});
