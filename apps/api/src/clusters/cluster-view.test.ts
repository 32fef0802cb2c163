import type { RegisteredCluster } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { AGENT_STALE_MS, type ClusterFacts, CONTACT_STALE_MS, clusterView } from "./cluster-view.ts";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const base: RegisteredCluster = {
  name: "dev",
  server: "https://dev:6443",
  labels: {},
  annotations: {},
  mode: "pool",
  hasCredentials: true,
  updatedAt: "2026-12-01T11:00:00.000Z",
};
const facts = (over: Partial<ClusterFacts>): ClusterFacts => ({
  cluster: base,
  contact: undefined,
  holders: [],
  queue: { waiting: 0, active: 0, delayed: 0, failed: 0 },
  applications: 0,
  remaining: 0,
  holds: [],
  now: NOW,
  ...over,
});

describe("clusterView", () => {
  it.each([
    ["no contact", undefined, "Unknown"],
    ["a fresh reachable contact", { at: NOW - 1000, reachable: true, worker: "w" }, "Reachable"],
    [
      "a fresh failed contact",
      { at: NOW - 1000, reachable: false, worker: "w", error: "connect ECONNREFUSED" },
      "Unreachable",
    ],
    ["a stale contact", { at: NOW - CONTACT_STALE_MS - 1, reachable: true, worker: "w" }, "Unknown"],
  ] as const)("pool cluster with %s is %s", (_what, contact, status) => {
    expect(clusterView(facts({ contact })).reachability.status).toBe(status);
  });

  it.each([
    ["no heartbeat", undefined, "Unknown", undefined],
    ["a fresh heartbeat", NOW - 5000, "Reachable", { kind: "agent", id: "dev" }],
    ["a stopped heartbeat", NOW - AGENT_STALE_MS - 1, "Unreachable", undefined],
  ] as const)("agent cluster with %s is %s", (_what, lastSeen, status, servedBy) => {
    const cluster = { ...base, mode: "agent" as const, ...(lastSeen !== undefined && { lastSeen }) };
    const view = clusterView(facts({ cluster }));
    expect(view.reachability.status).toBe(status);
    expect(view.servedBy).toEqual(servedBy);
  });

  it("names the serving pool worker and the holds on a removing cluster, never credentials", () => {
    const view = clusterView(
      facts({
        cluster: { ...base, removing: { since: "2026-12-01T11:59:00.000Z" } },
        holders: ["w-b", "w-a"],
        remaining: 2,
        holds: [
          {
            appSet: "shop",
            kind: "shrink",
            reason: "held",
            since: "x",
            commit: "c",
            applications: [
              { application: "web-dev", cluster: "dev" },
              { application: "web-prod", cluster: "prod" },
            ],
          },
        ],
      }),
    );
    expect(view.servedBy).toEqual({ kind: "pool-worker", id: "w-a" });
    expect(view.removing).toEqual({
      since: "2026-12-01T11:59:00.000Z",
      remaining: 2,
      held: [{ appSet: "shop", applications: ["web-dev"], reason: "held" }],
    });
    expect(Object.keys(view)).not.toContain("credentials");
  });
});
