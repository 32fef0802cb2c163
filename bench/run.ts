// Runs the benchmarks named on the command line (all of them when none is named), one process each so that
// peak RSS belongs to one benchmark. Usage: pnpm bench [api|dashboard|engine|generator|memory|rollout|testbed|vs-argocd|worker ...]
// [--flag ...]; flags (--quick) are handed to every benchmark run.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = ["api", "dashboard", "engine", "generator", "memory", "rollout", "testbed", "vs-argocd", "worker"].filter(
  (name) => existsSync(`${here}${name}.ts`),
);
const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const chosen = names.length > 0 ? names : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; expected one of ${all.join(", ")}`);
    process.exit(2);
  }
}

// A signal sent to this runner alone (SIGTERM from a timeout or `kill`) is passed on to the benchmark running,
// which stops what it started; dying without it would leave the benchmark, its clusters and services running.
let running: ReturnType<typeof spawn> | undefined;
let stopping: NodeJS.Signals | undefined;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    stopping = signal;
    running?.kill(signal);
  });
}

let failed = false;
for (const name of chosen) {
  if (stopping !== undefined) break;
  running = spawn(process.execPath, [`${here}${name}.ts`, ...flags], { stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => running?.once("exit", (c) => resolve(c)));
  if (code !== 0) failed = true;
}
process.exit(stopping !== undefined ? 128 + constants.signals[stopping] : failed ? 1 : 0);
