import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";

/** A Flotilla service started as its own process, as it runs in production; its log goes to a file. */
export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export function startService(name: string, script: string, env: Record<string, string>, logFile: string): Service {
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, [script], {
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
