import { describe, expect, it } from "vitest";
import { PrometheusTextError, parsePrometheusText, samplesOf, sampleValue } from "./text-format.ts";

const EXPOSITION = `# HELP flotilla_app_info One series per Application.\\nSecond line with a \\\\ backslash
# TYPE flotilla_app_info gauge
flotilla_app_info{appset="web",app="web-a",cluster="east",sync_status="Synced",health_status="Healthy",revision="abc"} 1
# a plain comment
flotilla_app_sync_total{phase="Succeeded",app="say \\"hi\\"\\nnow"} 3 1700000000000

# TYPE flotilla_app_reconcile_seconds histogram
flotilla_app_reconcile_seconds_bucket{le="+Inf",cluster="east"} 2
flotilla_app_reconcile_seconds_sum{cluster="east"} 0.25
nodejs_heap_size_total_bytes 1.5e+7
weird_values{a="1"} NaN
weird_values{a="2"} -Inf
weird_values{a="3",} +Inf
`;

describe("parsePrometheusText", () => {
  const scrape = parsePrometheusText(EXPOSITION);

  it("reads help (unescaped) and type by family", () => {
    expect(scrape.families.get("flotilla_app_info")).toEqual({
      help: "One series per Application.\nSecond line with a \\ backslash",
      type: "gauge",
    });
    expect(scrape.families.get("flotilla_app_reconcile_seconds")).toEqual({ type: "histogram" });
  });

  it("reads samples with labels, escapes, exponents, special values and timestamps", () => {
    expect(scrape.samples).toHaveLength(8);
    expect(scrape.samples[0]).toEqual({
      name: "flotilla_app_info",
      labels: {
        appset: "web",
        app: "web-a",
        cluster: "east",
        sync_status: "Synced",
        health_status: "Healthy",
        revision: "abc",
      },
      value: 1,
    });
    expect(scrape.samples[1]).toEqual({
      name: "flotilla_app_sync_total",
      labels: { phase: "Succeeded", app: 'say "hi"\nnow' },
      value: 3,
      timestamp: 1700000000000,
    });
    expect(sampleValue(scrape, "nodejs_heap_size_total_bytes")).toBe(15_000_000);
    expect(sampleValue(scrape, "weird_values", { a: "1" })).toBeNaN();
    expect(sampleValue(scrape, "weird_values", { a: "2" })).toBe(Number.NEGATIVE_INFINITY);
    expect(sampleValue(scrape, "weird_values", { a: "3" })).toBe(Number.POSITIVE_INFINITY);
    expect(sampleValue(scrape, "flotilla_app_reconcile_seconds_bucket", { le: "+Inf" })).toBe(2);
  });

  it("finds samples by a subset of labels, and refuses an ambiguous single value", () => {
    expect(samplesOf(scrape, "weird_values")).toHaveLength(3);
    expect(sampleValue(scrape, "flotilla_app_info", { sync_status: "OutOfSync" })).toBeUndefined();
    expect(() => sampleValue(scrape, "weird_values")).toThrow(/3 samples of weird_values match \{\}; name more labels/);
  });

  it("accepts CRLF line ends and an empty text", () => {
    expect(parsePrometheusText("a 1\r\nb 2\r\n").samples.map((s) => s.value)).toEqual([1, 2]);
    expect(parsePrometheusText("").samples).toEqual([]);
  });

  it.each([
    ["1bad 1", "1:1: expected a metric name"],
    ["ok", "1:3: expected a space before the sample value"],
    ["ok one", '1:4: expected a sample value (a number, +Inf, -Inf or NaN), found "one"'],
    ["ok 0x10", '1:4: expected a sample value (a number, +Inf, -Inf or NaN), found "0x10"'],
    ["ok 1 soon", '1:6: expected a timestamp in ms, found "soon"'],
    ["ok 1 2 3", "1:8: expected the end of the line"],
    ['ok{a="1" 1', "1:10: expected , or } after a label value"],
    ['ok{a="1 1', '1:10: expected the closing " of a label value'],
    ["ok{a=1} 1", '1:6: expected "'],
    ['ok{a="\\x"} 1', '1:7: expected \\\\, \\" or \\n after a backslash in a label value'],
    ['ok{="1"} 1', "1:4: expected a label name or }"],
    ['ok{a="1",a="2"} 1', "1:10: label a given twice"],
    ["ok{a} 1", "1:5: expected ="],
    ["# TYPE ok gauges", '1:11: expected a type (counter, gauge, histogram, summary, untyped), found "gauges"'],
    ["# HELP 9x help", "1:8: expected a metric name"],
    ["fine 1\nalso fine 2", '2:6: expected a sample value (a number, +Inf, -Inf or NaN), found "fine"'],
  ])("refuses %j with the line, the column and what was expected", (text, message) => {
    let error: unknown;
    try {
      parsePrometheusText(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PrometheusTextError);
    expect((error as Error).message).toBe(message);
  });

  it("does not let a label named like an object property through twice or into the prototype", () => {
    const parsed = parsePrometheusText('x{__proto__="p",constructor="c"} 1');
    expect(Object.getPrototypeOf(parsed.samples[0]!.labels)).toBe(Object.prototype);
    expect(Object.keys(parsed.samples[0]!.labels).sort()).toEqual(["__proto__", "constructor"]);
  });
});
