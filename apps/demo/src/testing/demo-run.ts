import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { loadKubeconfig } from "@flotilla/kube";
import { type ApiEndpoint, eventually } from "@flotilla/testbed";

/** The demo as its own process, as `bash scripts/demo.sh` runs it, with everything it prints collected. */
export class DemoRun {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  /** Resolves with the exit code once the process has ended and its output is read ("close", not "exit"). */
  readonly closed: Promise<number | null>;
  /** Every process seen descending from the demo while it ran (sampled every 200 ms): none may outlive it. */
  readonly seenProcesses = new Set<number>();
  /** The test bed's run folders those processes named in their command lines: none may outlive the demo. */
  readonly seenTestbedDirs = new Set<string>();

  constructor(options: { root: string; args?: readonly string[]; env?: Record<string, string> }) {
    this.child = spawn(process.execPath, ["apps/demo/src/main.ts", ...(options.args ?? [])], {
      cwd: options.root,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sample = setInterval(() => this.#sample(), 200);
    this.closed = new Promise((resolve) =>
      this.child.on("close", (code) => {
        clearInterval(sample);
        resolve(code);
      }),
    );
    this.child.stdout?.on("data", (d: Buffer) => {
      this.stdout += d.toString();
    });
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
  }

  #sample(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null) return;
    for (const child of descendants(pid)) {
      if (this.seenProcesses.has(child)) continue;
      this.seenProcesses.add(child);
      for (const dir of testbedDirsIn(child)) this.seenTestbedDirs.add(dir);
    }
  }

  /** Waits until the output matches `pattern`; fails early, with the output, if the demo ends first. */
  printed(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return eventually(
      `the demo to print ${pattern}`,
      () => {
        const match = pattern.exec(this.stdout);
        if (match !== null) return match;
        if (this.child.exitCode !== null) {
          throw new Error(`the demo exited ${this.child.exitCode}:\n${this.stderr}\n${this.stdout}`);
        }
        return undefined;
      },
      timeoutMs,
      500,
    );
  }

  /** SIGINT (Ctrl-C), then SIGKILL if it has not ended after `graceMs`. */
  async interrupt(graceMs = 90_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGINT");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
      const code = await this.closed;
      clearTimeout(timer);
      return code;
    }
    return this.closed;
  }
}

/** How to reach a cluster from one of the demo's kubeconfig files: its current context's server, CA and token. */
export function endpointOf(kubeconfigFile: string): ApiEndpoint {
  const config = loadKubeconfig(readFileSync(kubeconfigFile, "utf8"));
  const cluster = config.getCurrentCluster();
  const token = config.getCurrentUser()?.token;
  if (cluster === null || cluster.caData === undefined || token === undefined) {
    throw new Error(`${kubeconfigFile} has no server, CA data or token in its current context`);
  }
  return { apiUrl: cluster.server, caPem: Buffer.from(cluster.caData, "base64").toString("utf8"), token };
}

/** Every process descended from `pid` now (Linux /proc): what the demo started, to check later it is all gone. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces; the fields after it are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // the process ended while the table was read
    }
  }
  const out: number[] = [];
  const walk = (of: number) => {
    for (const [child, ppid] of parent) {
      if (ppid === of) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** The test bed's run folders a process names in its command line. */
function testbedDirsIn(pid: number): string[] {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return [...cmdline.matchAll(/(\/\S*?\/flotilla-testbed-[^/\s]+)/g)].map((m) => m[1] ?? "");
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when something accepts TCP connections at `host:port`. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
