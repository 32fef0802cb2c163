// Runs the benchmarks named on the command line (all of them when none is named), one process each so that
// peak RSS belongs to one benchmark. Usage: pnpm bench [api|dashboard|engine|generator|memory|rollout|testbed|vs-argocd|worker ...]
// [--flag ...]; flags (--quick) are handed to every benchmark run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = ["api", "dashboard", "engine", "generator", "memory", "rollout", "testbed", "vs-argocd", "worker"].filter(
  (name) => existsSync(`${here}${name}.ts`),
);
const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const chosen = names.length > 0 ? names : all;
let failed = false;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; expected one of ${all.join(", ")}`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [`${here}${name}.ts`, ...flags], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
