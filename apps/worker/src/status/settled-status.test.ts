import type { HealthReport } from "@flotilla/kube";
import type { AppStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { withHealth } from "./settled-status.ts";

const progressing: AppStatus = {
  appSet: "s",
  application: "a",
  cluster: "c",
  sync: "Synced",
  health: "Progressing",
  healthMessage: "Deployment/ns/web: 0 of 1 replicas available",
  revision: "abc",
  lastSyncAt: "2025-01-01T00:00:00.000Z",
  resources: [
    { id: "/ConfigMap/ns/cfg", action: "created", health: "Healthy", message: "exists" },
    { id: "/ConfigMap/ns/old", action: "stale", health: "Unknown", message: "no longer in Git; prune is off" },
    { id: "apps/Deployment/ns/web", action: "created", health: "Progressing", message: "0 of 1 replicas available" },
  ],
};

const healthy: HealthReport = {
  objects: [
    { id: "/ConfigMap/ns/cfg", subject: "ConfigMap/ns/cfg", verdict: { status: "Healthy", message: "exists" } },
    {
      id: "apps/Deployment/ns/web",
      subject: "Deployment/ns/web",
      verdict: { status: "Healthy", message: "1 of 1 replicas available" },
    },
  ],
  aggregate: { status: "Healthy", message: "2 objects healthy" },
};

describe("withHealth", () => {
  it("takes the read's aggregate and verdicts and keeps everything the sync decided", () => {
    const next = withHealth(progressing, healthy);
    expect(next).toMatchObject({ sync: "Synced", revision: "abc", lastSyncAt: progressing.lastSyncAt });
    expect(next).toMatchObject({ health: "Healthy", healthMessage: "2 objects healthy" });
    expect(next.resources.map((r) => [r.id, r.action, r.health, r.message])).toEqual([
      ["/ConfigMap/ns/cfg", "created", "Healthy", "exists"],
      ["/ConfigMap/ns/old", "stale", "Unknown", "no longer in Git; prune is off"],
      ["apps/Deployment/ns/web", "created", "Healthy", "1 of 1 replicas available"],
    ]);
  });
});
