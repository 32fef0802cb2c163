// The test bed's measurements live in its own package (test/testbed/src/bench.ts), next to the code they
// measure; this entry lets `pnpm bench testbed` run them and report its rows like every other benchmark.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { reportResult } from "./support.ts";

const script = fileURLToPath(new URL("../test/testbed/src/bench.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "flotilla-bench-testbed-"));
const rowsFile = join(dir, "rows.json");
try {
  const run = spawnSync(process.execPath, [script], {
    stdio: "inherit",
    env: { ...process.env, FLOTILLA_BENCH_ROWS_FILE: rowsFile },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const rows = JSON.parse(readFileSync(rowsFile, "utf8")) as { measure: string; value: string; note?: string }[];
  reportResult(
    {
      benchmark: "testbed",
      title: "test bed — cold builds, cached set-up, cluster start and memory, Redis container start",
      tables: [{ columns: ["measure", "value", "note"], rows: rows.map((r) => [r.measure, r.value, r.note ?? ""]) }],
    },
    // The test bed's script has printed the same table already.
    { print: false },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
