// The test bed's measurements live in its own package (test/testbed/src/bench.ts), next to the code they
// measure; this entry lets `pnpm bench testbed` run them.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../test/testbed/src/bench.ts", import.meta.url));
const run = spawnSync(process.execPath, [script], { stdio: "inherit" });
process.exit(run.status ?? 1);
