import { type ChildProcess, spawn } from "node:child_process";

export interface ServiceProcessOptions {
  /** A service entry point (`apps/<name>/src/main.ts`), run with this Node. */
  script: string;
  /** Arguments after the script (`flotilla api`: the entrypoint's sub-command). */
  args?: readonly string[];
  env: Record<string, string>;
}

/** A pino log line of the service, parsed. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Settles with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  /** Every JSON line written to stdout so far. */
  logs(): LogLine[];
  stderr(): string;
  /** SIGKILL unless it already ended. */
  kill(): void;
}

/** Runs a Flotilla service as its own process, as an operator would, keeping its structured logs for assertions. */
export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const child = spawn(process.execPath, [options.script, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  let partial = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line (a stray print); kept out of the structured record.
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    logs: () => [...lines],
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
