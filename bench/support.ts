// What the benchmarks share: Git for their fleet repositories, percentiles for their figures, and one way to
// report a result (printed, and merged into bench/results/).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import {
  type BenchResult,
  type Machine,
  mergeResults,
  parseResultsFile,
  ResultsFileError,
  resultsMarkdown,
  resultText,
} from "./results.ts";

export type { BenchResult, BenchTable } from "./results.ts";

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "bench@flotilla.dev",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "bench@flotilla.dev",
    },
  });
}

/** The p-th percentile of ascending values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Where `reportResult` writes: bench/results/, or $BENCH_RESULTS_DIR. */
export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL("./results/", import.meta.url));
}

/** This machine, as the results file records it. */
export function thisMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    platform: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

/**
 * The one way a benchmark reports: prints the result, then merges it into bench/results/latest.json (the latest
 * run of each benchmark) and rewrites latest.md from it. A results file that is not ours is reported and left as
 * it is (the figures are still printed), and the run then exits 1.
 */
export function reportResult(result: BenchResult, options: { print?: boolean } = {}): void {
  if (options.print ?? true) process.stdout.write(`${resultText(result)}\n`);
  const dir = resultsDir();
  const jsonFile = join(dir, "latest.json");
  try {
    const previous = existsSync(jsonFile) ? parseResultsFile(readFileSync(jsonFile, "utf8"), jsonFile) : undefined;
    const merged = mergeResults(previous, { ...result, ranAt: new Date().toISOString(), machine: thisMachine() });
    mkdirSync(dir, { recursive: true });
    writeFileSync(jsonFile, `${JSON.stringify(merged, null, 2)}\n`);
    writeFileSync(join(dir, "latest.md"), resultsMarkdown(merged));
    process.stdout.write(`results: ${join(dir, "latest.md")} (and latest.json)\n`);
  } catch (err) {
    if (!(err instanceof ResultsFileError)) throw err;
    process.stderr.write(`${err.message}; the results were not saved (fix or remove the file)\n`);
    process.exitCode = 1;
  }
}

/**
 * A Redis connection for a benchmark. Its errors are said once, on stderr: a benchmark stopped by a signal loses
 * its Redis while the connection still retries, and ioredis prints an "Unhandled error event" for each retry of a
 * connection nobody listens to.
 */
export function benchRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  let said = false;
  redis.on("error", (err: Error) => {
    if (said) return;
    said = true;
    process.stderr.write(`bench: Redis connection error (said once): ${err.message}\n`);
  });
  return redis;
}
