// The benchmarks' results file, as data: one entry per benchmark, the latest run of each, merged run after run,
// and its Markdown rendering. Pure: bench/support.ts reads and writes the files.

/** One table of a result: its column names and rows of cells, as printed. */
export interface BenchTable {
  /** Shown above the table in Markdown (e.g. "per step"); absent for the main table. */
  caption?: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/** What one benchmark reports. */
export interface BenchResult {
  /** Its name in `pnpm bench NAME`. */
  benchmark: string;
  /** One line: what was measured, at what scale. */
  title: string;
  /** Lines that say how (processes, triggers, scale variables). */
  notes?: readonly string[];
  tables: readonly BenchTable[];
}

/** The machine a run was measured on: figures mean little without it. */
export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGiB: number;
  /** The 1-minute load average when the result was reported: on a shared machine, what the figures competed with. */
  loadAverage: number;
}

export interface BenchEntry extends BenchResult {
  /** ISO-8601 time the run ended. */
  ranAt: string;
  machine: Machine;
}

export interface ResultsFile {
  /** Bumped when the shape changes, so that a reader can tell. */
  version: 1;
  /** The latest run of each benchmark, by name. */
  benchmarks: Record<string, BenchEntry>;
}

export class ResultsFileError extends Error {
  override readonly name = "ResultsFileError";
}

/** The file with `entry` as its benchmark's latest run; every other benchmark's entry is kept as it was. */
export function mergeResults(previous: ResultsFile | undefined, entry: BenchEntry): ResultsFile {
  const benchmarks: Record<string, BenchEntry> = {};
  for (const [name, e] of Object.entries(previous?.benchmarks ?? {}))
    if (name !== entry.benchmark) benchmarks[name] = e;
  benchmarks[entry.benchmark] = entry;
  const sorted = Object.fromEntries(Object.entries(benchmarks).sort(([a], [b]) => a.localeCompare(b)));
  return { version: 1, benchmarks: sorted };
}

/**
 * Reads the results file's text. A file that is not what `pnpm bench` writes is an error naming the file, where
 * (line:col for JSON, the field path otherwise) and what was expected — never silently replaced, since it holds
 * other benchmarks' figures that may have taken long to measure.
 */
export function parseResultsFile(text: string, file: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${file}${jsonPosition(text, err)}: not JSON (${(err as Error).message})`);
  }
  const fail = (path: string, expected: string): never => {
    throw new ResultsFileError(`${file}: ${path}: expected ${expected}`);
  };
  if (!isObject(data)) return fail("(top level)", "an object with version and benchmarks");
  if (data["version"] !== 1) fail("version", "1");
  const benchmarks = data["benchmarks"];
  if (!isObject(benchmarks)) return fail("benchmarks", "an object of benchmark entries by name");
  for (const [name, entry] of Object.entries(benchmarks)) {
    const at = `benchmarks.${name}`;
    if (!isObject(entry)) return fail(at, "an object");
    if (entry["benchmark"] !== name) fail(`${at}.benchmark`, JSON.stringify(name));
    for (const key of ["title", "ranAt"]) if (typeof entry[key] !== "string") fail(`${at}.${key}`, "a string");
    const machine = entry["machine"];
    if (!isObject(machine) || typeof machine["cores"] !== "number") fail(`${at}.machine.cores`, "a number");
    const tables = entry["tables"];
    if (!Array.isArray(tables)) return fail(`${at}.tables`, "a list");
    tables.forEach((table: unknown, i) => {
      if (!isObject(table) || !isStringList(table["columns"])) fail(`${at}.tables[${i}].columns`, "a list of strings");
      const rows = (table as Record<string, unknown>)["rows"];
      if (!Array.isArray(rows) || !rows.every(isStringList)) fail(`${at}.tables[${i}].rows`, "a list of string lists");
    });
  }
  return data as unknown as ResultsFile;
}

/** The results as Markdown: one section per benchmark, each with its machine and date, then its tables. */
export function resultsMarkdown(results: ResultsFile): string {
  const out = [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (see the README's Benchmarks section); each section is the latest run of one benchmark,",
    "merged with earlier runs of the others (`latest.json` holds the same figures). Figures are measured, never asserted.",
  ];
  for (const entry of Object.values(results.benchmarks)) {
    const m = entry.machine;
    out.push("", `## ${entry.benchmark}`, "", escapeText(entry.title), "");
    out.push(
      `Ran ${entry.ranAt} on ${m.cores} cores (${escapeText(m.cpuModel)}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}; ` +
        `load average ${m.loadAverage} at the end.`,
    );
    if (entry.notes !== undefined && entry.notes.length > 0) out.push("", ...entry.notes.map((n) => escapeText(n)));
    for (const table of entry.tables) {
      out.push("");
      if (table.caption !== undefined) out.push(`${escapeText(table.caption)}:`, "");
      out.push(row(table.columns), row(table.columns.map(() => "---")));
      for (const r of table.rows) out.push(row(table.columns.map((_, i) => r[i] ?? "")));
    }
  }
  return `${out.join("\n")}\n`;
}

/** The result as the terminal shows it: title, notes, then each table with aligned columns. */
export function resultText(result: BenchResult): string {
  const lines = [result.title, ...(result.notes ?? []).map((n) => `  ${n}`)];
  for (const table of result.tables) {
    lines.push("");
    if (table.caption !== undefined) lines.push(`  ${table.caption}:`);
    const all = [table.columns, ...table.rows];
    const widths = table.columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
    for (const r of all) lines.push(`  ${widths.map((w, i) => (r[i] ?? "").padEnd(w)).join("  ")}`.trimEnd());
  }
  return lines.join("\n");
}

const row = (cells: readonly string[]) => `| ${cells.map((c) => escapeCell(c)).join(" | ")} |`;
const escapeText = (text: string) =>
  text.replace(/[\r\n]+/g, " ").replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;"));
const escapeCell = (text: string) => escapeText(text).replaceAll("|", "\\|");

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** ` line:col` of a JSON.parse error, from the offset Node puts in its message. */
function jsonPosition(text: string, err: unknown): string {
  const offset = /position (\d+)/.exec(String((err as Error).message))?.[1];
  if (offset === undefined) return "";
  const before = text.slice(0, Number(offset));
  const line = before.split("\n").length;
  const col = Number(offset) - before.lastIndexOf("\n");
  return `:${line}:${col}`;
}
