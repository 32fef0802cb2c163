import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";

/** A Flotilla service started as its own process, as it runs in production; its log goes to a file. */
export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
}

/**
 * Node flags every service starts with, as the image does (its NODE_OPTIONS). V8 otherwise lets the young generation
 * grow to tens of MiB and the old one to about four times what is live before it collects: a pool worker holding
 * 1,000 Applications sat at 361 MiB RSS with 264 MiB of heap of which ~75 MiB were live. `--optimize-for-size`
 * makes V8 grow its heap less eagerly and flush unused code: the side by side's generator + pool worker (1,000
 * Applications) peaked at 300 MiB instead of 456. With it, 16 MiB semi-spaces cost little memory (a pool worker
 * holding 10,000 Applications: 217 MiB peak against 207 with 2 MiB) and save the CPU that frequent scavenges and
 * early promotion took from a busy worker (the side by side converged at 90 % of the raw apply ceiling against
 * 88 % with 2 MiB, 27.8 against 29.9 CPU-seconds; bench/memory.ts, bench/vs-argocd.ts, README "Memory").
 * `--optimize-for-size` is a command-line flag only (Node refuses it in NODE_OPTIONS), so the image's entrypoint
 * passes it too. A NODE_OPTIONS that sets the semi-space size itself wins.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--optimize-for-size"];

/** The flags a service is started with: SERVICE_NODE_FLAGS, less any that `nodeOptions` already sets. */
export function serviceNodeFlags(nodeOptions: string | undefined): string[] {
  const given = new Set((nodeOptions ?? "").split(/\s+/).map((flag) => flag.split("=")[0]));
  return SERVICE_NODE_FLAGS.filter((flag) => !given.has(flag.split("=")[0]));
}

export function startService(name: string, script: string, env: Record<string, string>, logFile: string): Service {
  const out = openSync(logFile, "a");
  const flags = serviceNodeFlags(env["NODE_OPTIONS"] ?? process.env["NODE_OPTIONS"]);
  const child = spawn(process.execPath, [...flags, script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", out, out],
  });
  child.on("exit", (code, signal) => {
    if (code !== 0 && code !== null) process.stderr.write(`\n${name} exited with code ${code} (log: ${logFile})\n`);
    else if (signal !== null && signal !== "SIGTERM") process.stderr.write(`\n${name} ended by ${signal}\n`);
  });
  return { name, child, logFile };
}

/** SIGTERM, then SIGKILL after `timeoutMs`: the services drain within a bounded time, and the demo too. */
export async function stopService(service: Service, timeoutMs = 30_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export interface PoolWorkerOptions {
  id: string;
  /** The repository root, where apps/worker lives. */
  root: string;
  /** Redis URL, prefix, log level and anything else every service of the fleet shares. */
  env: Record<string, string>;
  /** The registry's credentials key, as a file. */
  keyFile: string;
  /** Where the worker keeps its Git mirrors and its log. */
  workDir: string;
  logsDir: string;
}

/** A pool worker as its own process, with its own Git cache and log file. */
export function startPoolWorker(options: PoolWorkerOptions): Service {
  const { id, root, env, keyFile, workDir, logsDir } = options;
  return startService(
    id,
    join(root, "apps/worker/src/main.ts"),
    {
      FLOTILLA_MODE: "pool",
      FLOTILLA_WORKER_ID: id,
      FLOTILLA_ENCRYPTION_KEY_FILE: keyFile,
      FLOTILLA_REPO_CACHE: join(workDir, `repos-${id}`),
      ...env,
    },
    join(logsDir, `${id}.log`),
  );
}
