// Loaded into a service with `--import` by the memory benchmark: appends the process's own view of its memory
// (process.memoryUsage(): rss, heapTotal, heapUsed, external, arrayBuffers) to BENCH_MEMORY_DIR/<pid>.jsonl once a
// second, so the benchmark reads what /proc cannot tell it (heap against off-heap) without the service knowing.
import { appendFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env["BENCH_MEMORY_DIR"];
if (dir !== undefined && dir !== "") {
  const file = join(dir, `${process.pid}.jsonl`);
  const timer = setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...process.memoryUsage() })}\n`);
  }, 1_000);
  timer.unref();
}
