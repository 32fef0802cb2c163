import { describe, expect, it } from "vitest";
import { CATALOG } from "./catalog.ts";

describe("the metric catalog", () => {
  it("names every metric once, under flotilla_, in Prometheus' naming conventions", () => {
    const names = CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of CATALOG) {
      expect(m.name).toMatch(/^flotilla_[a-z_]+$/);
      if (m.kind === "counter") expect(m.name).toMatch(/_total$/);
      if (m.kind === "histogram") expect(m.name).toMatch(/_seconds$/);
      if (m.kind !== "counter") expect(m.name).not.toMatch(/_total$/);
      expect(m.help.length).toBeGreaterThan(20);
      expect(new Set(m.labelNames).size).toBe(m.labelNames.length);
    }
  });

  it("gives histograms increasing buckets and nothing else buckets", () => {
    for (const m of CATALOG) {
      if (m.kind !== "histogram") {
        expect(m.buckets).toBeUndefined();
        continue;
      }
      const buckets = m.buckets ?? [];
      expect(buckets.length).toBeGreaterThan(3);
      expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    }
  });

  it("keeps Application names out of every histogram (cardinality)", () => {
    for (const m of CATALOG.filter((x) => x.kind === "histogram")) {
      expect(m.labelNames).not.toContain("app");
    }
  });

  it("has the names issue #10 asks for, with their labels", () => {
    const byName = new Map(CATALOG.map((m) => [m.name, m.labelNames]));
    expect(byName.get("flotilla_app_info")).toEqual([
      "appset",
      "app",
      "cluster",
      "sync_status",
      "health_status",
      "revision",
    ]);
    expect(byName.get("flotilla_app_sync_total")).toEqual(["appset", "app", "cluster", "phase"]);
    expect(byName.get("flotilla_cluster_info")).toEqual(["cluster", "mode"]);
    expect(byName.get("flotilla_queue_jobs")).toEqual(["cluster", "state"]);
    expect(byName.get("flotilla_api_request_seconds")).toEqual(["method", "route", "status"]);
    for (const name of [
      "flotilla_app_reconcile_seconds",
      "flotilla_cluster_connection_status",
      "flotilla_appset_generation_seconds",
      "flotilla_appset_applications",
      "flotilla_appset_held_deletions",
      "flotilla_drift_reverted_total",
    ]) {
      expect(byName.has(name), name).toBe(true);
    }
  });
});
