import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Everything the test bed starts is recorded here so that it is removed however the run ends: normal teardown,
 * a thrown error, process.exit, SIGINT/SIGTERM/SIGHUP, and, for a run killed with SIGKILL, by the next run,
 * which finds the dead run's folder and kills what it recorded.
 */
const runPrefix = "flotilla-testbed-";
const livePids = new Set<number>();
const liveContainers = new Set<string>();
const liveDirs = new Set<string>();
const handledSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let handlersInstalled = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL: used only on the way out, when there is no time for a graceful stop. */
function killNow(pid: number): void {
  try {
    process.kill(pid, "SIGCONT");
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Removes a container synchronously (an exit handler cannot wait for promises) through the Docker-compatible
 * API socket, with curl. Best effort: the next run's sweep catches what this misses.
 */
function removeContainerNow(id: string): void {
  const socket = /^unix:\/\/(.+)$/.exec(process.env["DOCKER_HOST"] ?? "")?.[1];
  if (!socket) return;
  spawnSync(
    "curl",
    ["-fsS", "-m", "5", "--unix-socket", socket, "-X", "DELETE", `http://d/containers/${id}?force=true`],
    {
      stdio: "ignore",
    },
  );
}

function cleanupNow(): void {
  for (const pid of livePids) killNow(pid);
  livePids.clear();
  for (const id of liveContainers) removeContainerNow(id);
  liveContainers.clear();
  for (const dir of liveDirs) releaseDir(dir);
  liveDirs.clear();
}

/**
 * Cleans up, then ends the process as the signal's default action would have, unless another handler (vitest's)
 * does so first. Re-raising is not enough: with any other listener present (signal-exit, loaded by
 * testcontainers' dependencies, is one) Node would keep running.
 */
function onSignal(signal: NodeJS.Signals): void {
  cleanupNow();
  process.exitCode ??= 128 + (constants.signals[signal] ?? 0);
  setTimeout(() => process.exit(), 100).unref();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", cleanupNow);
  for (const signal of handledSignals) process.on(signal, onSignal);
}

/** Records a child of the run in `runDir`, so that it is killed on exit or, failing that, by the next run. */
export function trackProcess(pid: number, runDir: string): void {
  installHandlers();
  livePids.add(pid);
  appendFileSync(join(runDir, "pids"), `${pid}\n`);
}

export function untrackProcess(pid: number): void {
  livePids.delete(pid);
}

export function trackContainer(id: string): void {
  installHandlers();
  liveContainers.add(id);
}

export function untrackContainer(id: string): void {
  liveContainers.delete(id);
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  return alive(pid);
}

/**
 * A fresh folder for one bed's certificates, data and logs, removed on exit. FLOTILLA_TESTBED_KEEP=1 keeps it
 * (marked "kept", so later runs leave it alone) for looking at the logs.
 */
export function createRunDir(): string {
  installHandlers();
  sweepDeadRuns();
  const dir = mkdtempSync(join(tmpdir(), runPrefix));
  writeFileSync(join(dir, "owner"), `${process.pid}\n`);
  liveDirs.add(dir);
  return dir;
}

/** Removes a run folder now (after its processes have stopped). */
export function removeRunDir(dir: string): void {
  liveDirs.delete(dir);
  releaseDir(dir);
}

function releaseDir(dir: string): void {
  if (process.env["FLOTILLA_TESTBED_KEEP"] === "1") writeFileSync(join(dir, "kept"), "");
  else rmSync(dir, { recursive: true, force: true });
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .map((line) => Number.parseInt(line, 10))
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

/** True when the process's command line mentions `dir`, so a recycled pid is never killed by mistake. */
function belongsToRun(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    return false;
  }
}

/** Kills the processes of runs whose owner died without cleaning up (SIGKILL, OOM) and removes their folders. */
export function sweepDeadRuns(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(runPrefix));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(tmpdir(), name);
    const owner = readPids(join(dir, "owner"))[0];
    if (owner === undefined || alive(owner)) continue;
    for (const pid of readPids(join(dir, "pids"))) {
      if (belongsToRun(pid, dir)) killNow(pid);
    }
    if (!existsSync(join(dir, "kept"))) rmSync(dir, { recursive: true, force: true });
  }
}
