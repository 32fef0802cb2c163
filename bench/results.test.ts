import { describe, expect, it } from "vitest";
import { type BenchEntry, mergeResults, parseResultsFile, resultsMarkdown, resultText } from "./results.ts";

const machine = {
  cores: 2,
  cpuModel: "Test CPU @ 2.0GHz",
  node: "v24.0.0",
  platform: "linux 6.1",
  memoryGiB: 7.8,
  loadAverage: 1.5,
};
const entry = (benchmark: string, value: string, ranAt = "2026-12-01T15:00:00.000Z"): BenchEntry => ({
  benchmark,
  title: `${benchmark} benchmark`,
  ranAt,
  machine,
  tables: [{ columns: ["measure", "value"], rows: [["wall time", value]] }],
});

describe("mergeResults", () => {
  it("starts a file from nothing", () => {
    expect(mergeResults(undefined, entry("engine", "1 s"))).toEqual({
      version: 1,
      benchmarks: { engine: entry("engine", "1 s") },
    });
  });

  it("keeps the other benchmarks' runs and replaces only this benchmark's, names in order", () => {
    const first = mergeResults(mergeResults(undefined, entry("worker", "12 min")), entry("engine", "1 s"));
    const next = mergeResults(first, entry("engine", "2 s", "2026-12-02T00:00:00.000Z"));
    expect(Object.keys(next.benchmarks)).toEqual(["engine", "worker"]);
    expect(next.benchmarks["worker"]).toEqual(entry("worker", "12 min"));
    expect(next.benchmarks["engine"]?.tables[0]?.rows).toEqual([["wall time", "2 s"]]);
    expect(next.benchmarks["engine"]?.ranAt).toBe("2026-12-02T00:00:00.000Z");
  });
});

describe("parseResultsFile", () => {
  const file = "bench/results/latest.json";
  it("reads back what it writes", () => {
    const results = mergeResults(undefined, entry("api", "8 ms"));
    expect(parseResultsFile(JSON.stringify(results, null, 2), file)).toEqual(results);
  });

  it.each([
    ["not JSON, with line:col", '{\n  "version": 1,\n  oops\n}', /^bench\/results\/latest\.json:3:3: not JSON/],
    ["an array", "[]", /latest\.json: \(top level\): expected an object/],
    ["another version", '{"version":2,"benchmarks":{}}', /latest\.json: version: expected 1$/],
    ["no benchmarks", '{"version":1}', /benchmarks: expected an object of benchmark entries/],
    [
      "an entry under another name",
      JSON.stringify({ version: 1, benchmarks: { api: entry("engine", "1 s") } }),
      /benchmarks\.api\.benchmark: expected "api"/,
    ],
    [
      "a machine without cores",
      JSON.stringify({ version: 1, benchmarks: { api: { ...entry("api", "1 s"), machine: {} } } }),
      /benchmarks\.api\.machine\.cores: expected a number/,
    ],
    [
      "a row that is not strings",
      JSON.stringify({
        version: 1,
        benchmarks: { api: { ...entry("api", "1 s"), tables: [{ columns: ["a"], rows: [[1]] }] } },
      }),
      /benchmarks\.api\.tables\[0\]\.rows: expected a list of string lists/,
    ],
    [
      "__proto__ as a benchmark",
      '{"version":1,"benchmarks":{"__proto__":{"benchmark":"x"}}}',
      /benchmarks\.__proto__\.benchmark: expected "__proto__"/,
    ],
  ])("refuses %s, naming the file and the place", (_name, text, message) => {
    expect(() => parseResultsFile(text, file)).toThrow(message);
  });
});

describe("resultsMarkdown", () => {
  it("has one section per benchmark with its machine, date and table", () => {
    const md = resultsMarkdown(mergeResults(mergeResults(undefined, entry("worker", "12 min")), entry("api", "8 ms")));
    expect(md).toContain("## api\n\napi benchmark\n\nRan 2026-12-01T15:00:00.000Z on 2 cores (Test CPU @ 2.0GHz)");
    expect(md).toContain("7.8 GiB RAM, Node v24.0.0, linux 6.1; load average 1.5 at the end.");
    expect(md).toContain("| measure | value |\n| --- | --- |\n| wall time | 8 ms |");
    expect(md.indexOf("## api")).toBeLessThan(md.indexOf("## worker"));
  });

  it("keeps a cell's pipes, new lines and angle brackets from breaking the table", () => {
    const hostile = { ...entry("api", "a | b\n<script>"), notes: ["two\nlines"] };
    const md = resultsMarkdown(mergeResults(undefined, hostile));
    expect(md).toContain("| wall time | a \\| b &lt;script&gt; |");
    expect(md).toContain("\ntwo lines\n");
  });
});

describe("resultText", () => {
  it("aligns the columns under the title and notes", () => {
    const text = resultText({
      benchmark: "x",
      title: "x benchmark",
      notes: ["how"],
      tables: [
        {
          columns: ["measure", "value"],
          rows: [
            ["a", "1 ms"],
            ["longer name", "2 ms"],
          ],
        },
      ],
    });
    expect(text).toBe("x benchmark\n  how\n\n  measure      value\n  a            1 ms\n  longer name  2 ms");
  });
});
