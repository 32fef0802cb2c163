import { describe, expect, it } from "vitest";
import { createMetricsRegistry } from "./registry.ts";
import { parsePrometheusText, samplesOf, sampleValue } from "./text-format.ts";
import { type AppInfo, type QueueJobCounts, type ServedCluster, WorkerMetrics } from "./worker-metrics.ts";

function setup() {
  const registry = createMetricsRegistry();
  const state = {
    served: [{ cluster: "east", mode: "pool" }] as ServedCluster[],
    apps: [] as AppInfo[],
    queues: [] as QueueJobCounts[],
    fail: false,
    asked: [] as string[][],
  };
  const metrics = new WorkerMetrics(
    registry,
    {
      served: () => state.served,
      apps: async (clusters) => {
        state.asked.push([...clusters]);
        if (state.fail) throw new Error("Redis down");
        return state.apps.filter((a) => clusters.includes(a.cluster));
      },
      queues: async (clusters) => state.queues.filter((q) => clusters.includes(q.cluster)),
    },
    { cacheTtlMs: 0 },
  );
  const scrape = async () => parsePrometheusText(await registry.metrics());
  return { metrics, state, scrape };
}

const web = (over: Partial<AppInfo> = {}): AppInfo => ({
  appSet: "web",
  application: "web-east",
  cluster: "east",
  sync: "Synced",
  health: "Healthy",
  revision: "abc",
  ...over,
});

describe("WorkerMetrics", () => {
  it("exports one app_info series per Application, replaced when its status changes and gone when it goes", async () => {
    const { state, scrape } = setup();
    state.apps = [web()];
    let s = await scrape();
    expect(samplesOf(s, "flotilla_app_info")).toEqual([
      {
        name: "flotilla_app_info",
        labels: {
          appset: "web",
          app: "web-east",
          cluster: "east",
          sync_status: "Synced",
          health_status: "Healthy",
          revision: "abc",
        },
        value: 1,
      },
    ]);
    state.apps = [web({ sync: "OutOfSync", health: "Progressing", revision: "def" })];
    s = await scrape();
    expect(samplesOf(s, "flotilla_app_info").map((x) => x.labels["revision"])).toEqual(["def"]);
    expect(sampleValue(s, "flotilla_app_info", { sync_status: "OutOfSync", health_status: "Progressing" })).toBe(1);
    state.apps = [];
    s = await scrape();
    expect(samplesOf(s, "flotilla_app_info")).toEqual([]);
    expect(s.families.get("flotilla_app_info")?.type).toBe("gauge");
  });

  it("reads only the clusters served at scrape time; a cluster handed over takes its series with it", async () => {
    const { state, scrape, metrics } = setup();
    state.apps = [web(), web({ cluster: "west", application: "web-west" })];
    state.queues = [
      { cluster: "east", waiting: 3, active: 1, delayed: 2, failed: 0 },
      { cluster: "west", waiting: 9, active: 0, delayed: 0, failed: 0 },
    ];
    metrics.clusterReached("east", true);
    metrics.clusterReached("west", false);
    let s = await scrape();
    expect(samplesOf(s, "flotilla_app_info").map((x) => x.labels["cluster"])).toEqual(["east"]);
    expect(sampleValue(s, "flotilla_cluster_info", { cluster: "east", mode: "pool" })).toBe(1);
    expect(sampleValue(s, "flotilla_cluster_connection_status", { cluster: "east" })).toBe(1);
    expect(sampleValue(s, "flotilla_cluster_connection_status", { cluster: "west" })).toBeUndefined();
    expect(sampleValue(s, "flotilla_queue_jobs", { cluster: "east", state: "waiting" })).toBe(3);
    expect(sampleValue(s, "flotilla_queue_jobs", { cluster: "east", state: "delayed" })).toBe(2);
    expect(sampleValue(s, "flotilla_queue_jobs", { cluster: "west", state: "waiting" })).toBeUndefined();

    state.served = [{ cluster: "west", mode: "pool" }];
    s = await scrape();
    expect(samplesOf(s, "flotilla_app_info").map((x) => x.labels["cluster"])).toEqual(["west"]);
    expect(samplesOf(s, "flotilla_cluster_info").map((x) => x.labels["cluster"])).toEqual(["west"]);
    expect(sampleValue(s, "flotilla_cluster_connection_status", { cluster: "west" })).toBe(0);
    expect(state.asked.at(-1)).toEqual(["west"]);
  });

  it("counts syncs by phase, observes every job's duration per cluster and counts reverted objects", async () => {
    const { metrics, scrape } = setup();
    const ref = { appSet: "web", application: "web-east", cluster: "east" };
    metrics.syncEnded({ ...ref, seconds: 0.2, phase: "Succeeded", reverted: 0 });
    metrics.syncEnded({ ...ref, seconds: 0.3, phase: "Succeeded", reverted: 2 });
    metrics.syncEnded({ ...ref, seconds: 40, phase: "Error", reverted: 0 });
    metrics.syncEnded({ ...ref, seconds: 0.01, reverted: 0 });
    const s = await scrape();
    const phase = (p: string) => sampleValue(s, "flotilla_app_sync_total", { app: "web-east", phase: p });
    expect([phase("Succeeded"), phase("Error"), phase("Failed")]).toEqual([2, 1, undefined]);
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_count", { cluster: "east" })).toBe(4);
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_sum", { cluster: "east" })).toBeCloseTo(40.51);
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_bucket", { cluster: "east", le: "0.25" })).toBe(2);
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_bucket", { cluster: "east", le: "+Inf" })).toBe(4);
    expect(sampleValue(s, "flotilla_drift_reverted_total", { cluster: "east" })).toBe(2);
  });

  it("observes each step a sync reached per cluster and step, so a cluster whose lanes are all busy shows it", async () => {
    const { metrics, scrape } = setup();
    const ref = { appSet: "web", application: "web-east", cluster: "east" };
    metrics.syncEnded({ ...ref, seconds: 3, reverted: 0, steps: { inputs: 0.004, lane: 2.4, apply: 0.5 } });
    metrics.syncEnded({ ...ref, seconds: 1, reverted: 0, steps: { inputs: 0.02, lane: 0.001 } });
    // A sync that stopped before any step (a bad job) observes no step.
    metrics.syncEnded({ ...ref, cluster: "west", seconds: 0.01, reverted: 0 });
    const s = await scrape();
    const step = (name: string, labels: Record<string, string>) =>
      sampleValue(s, `flotilla_sync_step_seconds_${name}`, { cluster: "east", ...labels });
    expect([
      step("count", { step: "inputs" }),
      step("count", { step: "lane" }),
      step("count", { step: "apply" }),
    ]).toEqual([2, 2, 1]);
    expect(step("sum", { step: "lane" })).toBeCloseTo(2.401);
    expect(step("bucket", { step: "lane", le: "0.005" })).toBe(1);
    expect(step("bucket", { step: "lane", le: "2.5" })).toBe(2);
    expect(step("count", { step: "status" })).toBeUndefined();
    expect(samplesOf(s, "flotilla_sync_step_seconds_count", { cluster: "west" })).toEqual([]);
  });

  it("serves the rest of the scrape when Redis cannot be read, and counts the failed read", async () => {
    const { state, scrape, metrics } = setup();
    state.apps = [web()];
    metrics.clusterReached("east", true);
    expect(samplesOf(await scrape(), "flotilla_app_info")).toHaveLength(1);
    state.fail = true;
    const s = await scrape();
    expect(samplesOf(s, "flotilla_app_info")).toEqual([]);
    // Counted as the read fails, which is while this scrape is written: the next one shows it.
    state.fail = false;
    const next = await scrape();
    expect(sampleValue(next, "flotilla_metrics_read_errors_total", { metric: "flotilla_app_info" })).toBe(1);
    expect(samplesOf(next, "flotilla_app_info")).toHaveLength(1);
    expect(sampleValue(s, "flotilla_cluster_connection_status", { cluster: "east" })).toBe(1);
    expect(sampleValue(s, "process_cpu_user_seconds_total")).toBeGreaterThanOrEqual(0);
  });
});
