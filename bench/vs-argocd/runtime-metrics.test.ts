import { describe, expect, it } from "vitest";
import { describeRuntime, parseRuntimeMetrics } from "./runtime-metrics.ts";

const scrape = `# HELP nodejs_eventloop_lag_p50_seconds The 50th percentile of the recorded event loop delays.
# TYPE nodejs_eventloop_lag_p50_seconds gauge
nodejs_eventloop_lag_p50_seconds 0.0105
nodejs_eventloop_lag_p99_seconds 0.25
nodejs_eventloop_lag_max_seconds 1.5
nodejs_gc_duration_seconds_sum{kind="minor"} 2.5
nodejs_gc_duration_seconds_sum{kind="major"} 1.25
nodejs_gc_duration_seconds_count{kind="major"} 40
`;

describe("parseRuntimeMetrics", () => {
  it("reads the event-loop delay and sums GC time over its kinds", () => {
    const m = parseRuntimeMetrics(scrape);
    expect(m).toEqual({ lagP50: 0.0105, lagP99: 0.25, lagMax: 1.5, gcSeconds: 3.75 });
    expect(describeRuntime(m)).toBe("event-loop delay p50 11 ms, p99 250 ms, max 1500 ms; GC 3.8 s since start");
  });

  it("says so when a process answered nothing of the kind", () => {
    expect(describeRuntime(parseRuntimeMetrics("<html>no</html>"))).toBe("no runtime metrics");
  });
});
