import type { ClusterView } from "@flotilla/api-contract/types";
import { describe, expect, it } from "vitest";
import { clusterDetails, clusterTable, removalText } from "./tables.ts";

const removing: ClusterView = {
  name: "prod-eu",
  server: "https://prod-eu:6443",
  mode: "pool",
  labels: { tier: "web", env: "prod" },
  annotations: {},
  hasCredentials: true,
  updatedAt: "2026-12-01T12:00:00.000Z",
  reachability: {
    status: "Unreachable",
    source: "worker",
    at: "2026-12-01T12:00:05.000Z",
    message: "connect ECONNREFUSED",
  },
  queue: { waiting: 3, active: 1, delayed: 0, failed: 2 },
  servedBy: { kind: "pool-worker", id: "pool-a" },
  applications: 2,
  removing: {
    since: "2026-12-01T11:59:00.000Z",
    remaining: 2,
    held: [{ appSet: "shop", applications: ["web-prod-eu"], reason: "generation would delete all 1 Application(s)" }],
  },
};
const edge: ClusterView = {
  name: "edge-1",
  server: "agent://edge-1",
  mode: "agent",
  labels: {},
  annotations: { owner: "team-a" },
  hasCredentials: false,
  updatedAt: "2026-12-01T12:00:00.000Z",
  reachability: { status: "Reachable", source: "heartbeat", at: "2026-12-01T12:00:09.000Z" },
  lastHeartbeat: "2026-12-01T12:00:09.000Z",
  queue: { waiting: 0, active: 0, delayed: 0, failed: 0 },
  servedBy: { kind: "agent", id: "edge-1" },
  applications: 0,
};

describe("cluster tables (golden)", () => {
  it("list", () => {
    expect(clusterTable([edge, removing])).toBe(
      [
        "NAME      MODE    SERVER                 STATE      REACHABILITY   SERVED BY   QUEUE (W/A/D/F)   APPS   LABELS",
        "edge-1    agent   agent://edge-1         Active     Reachable      edge-1      0/0/0/0           0      <none>",
        "prod-eu   pool    https://prod-eu:6443   Removing   Unreachable    pool-a      3/1/0/2           2      env=prod,tier=web",
      ].join("\n"),
    );
  });

  it("get, of a removing cluster whose removal is held", () => {
    expect(clusterDetails(removing)).toBe(
      [
        "Name:           prod-eu",
        "Mode:           pool",
        "Server:         https://prod-eu:6443",
        "State:          Removing since 2026-12-01T11:59:00.000Z",
        "Reachability:   Unreachable (pool worker contact 2026-12-01T12:00:05.000Z): connect ECONNREFUSED",
        "Last heartbeat: <none>",
        "Served by:      pool-worker pool-a",
        "Queue:          3 waiting, 1 active, 0 delayed, 2 failed",
        "Applications:   2",
        "Labels:         env=prod,tier=web",
        "Annotations:    <none>",
        "Credentials:    stored (encrypted)",
        "Updated:        2026-12-01T12:00:00.000Z",
        "Remaining:      2 Application(s) still to delete",
        "Held:           shop: web-prod-eu (generation would delete all 1 Application(s))",
        "",
      ].join("\n"),
    );
  });

  it("rm, a removal started", () => {
    expect(
      removalText({
        cluster: "prod-eu",
        orphan: false,
        since: "2026-12-01T11:59:00.000Z",
        applications: [
          { appSet: "shop", application: "web-prod-eu" },
          { appSet: "spread", application: "spread-prod-eu" },
        ],
        appSets: [
          { appSet: "shop", deleting: 1, of: 1, likelyHeld: true },
          { appSet: "spread", deleting: 1, of: 4, likelyHeld: false },
        ],
        message: "2 Application(s) will be deleted",
      }),
    ).toBe(
      [
        "2 Application(s) will be deleted",
        "  shop: 1 of 1 Application(s) to delete; likely held by the deletion guard",
        "  spread: 1 of 4 Application(s) to delete",
        "APPSET   APPLICATION",
        "shop     web-prod-eu",
        "spread   spread-prod-eu",
        "",
      ].join("\n"),
    );
  });
});
