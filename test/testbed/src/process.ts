import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { trackProcess, untrackProcess } from "./cleanup.ts";

export interface ProcessSpec {
  /** Short name used in errors and as the log file's name, e.g. "kube-apiserver-alpha". */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr go here, so a failed start or test can be diagnosed afterwards. */
  logFile: string;
  /** The run folder whose "pids" file records this process for cleanup after a crash. */
  runDir: string;
  env?: NodeJS.ProcessEnv;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process of the test bed, whose output goes to a log file and which is killed when the bed exits. */
export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;
  readonly #child: ChildProcess;

  private constructor(spec: ProcessSpec, child: ChildProcess, pid: number) {
    this.name = spec.name;
    this.logFile = spec.logFile;
    this.pid = pid;
    this.#child = child;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.#exit = { code, signal };
        untrackProcess(pid);
        resolve(this.#exit);
      });
    });
  }

  static start(spec: ProcessSpec): ManagedProcess {
    const log = openSync(spec.logFile, "a");
    try {
      const child = spawn(spec.command, spec.args, {
        stdio: ["ignore", log, log],
        env: spec.env ?? process.env,
      });
      let spawnError: Error | undefined;
      // Without a listener a failed spawn's "error" event would crash the process.
      child.on("error", (error) => {
        spawnError = error;
      });
      if (child.pid === undefined) {
        throw new Error(`${spec.name}: could not spawn ${spec.command}${spawnError ? `: ${spawnError.message}` : ""}`);
      }
      trackProcess(child.pid, spec.runDir);
      return new ManagedProcess(spec, child, child.pid);
    } finally {
      closeSync(log);
    }
  }

  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** The last lines of the process's log, for error messages. */
  tail(lines = 25): string {
    try {
      return readFileSync(this.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. A paused (SIGSTOPped) process is continued first, or TERM waits. */
  async stop(graceMs = 5_000): Promise<ProcessExit> {
    if (this.#exit) return this.#exit;
    this.#child.kill("SIGCONT");
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
