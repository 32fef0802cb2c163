import { spawn } from "node:child_process";
import { Semaphore } from "@flotilla/core";
import { GitPluginError, type SimpleGitOptions, simpleGit } from "simple-git";

/** One git invocation. `env` holds only what this call adds (credentials); isolation is added here. */
export interface GitInvocation {
  cwd: string;
  args: string[];
  timeoutMs: number;
  env?: Record<string, string>;
}

/** Git exited non-zero or was killed. `stderr` is raw: callers scrub it before it goes anywhere. */
export class GitProcessFailure extends Error {
  override readonly name = "GitProcessFailure";
  readonly stderr: string;
  readonly timedOut: boolean;

  constructor(stderr: string, timedOut: boolean) {
    super(timedOut ? "git timed out" : stderr);
    this.stderr = stderr;
    this.timedOut = timedOut;
  }
}

export interface GitRunner {
  /** Runs git; its stdout as text. */
  run(invocation: GitInvocation): Promise<string>;
  /** Runs git with `input` on its stdin; its stdout as bytes (what `cat-file --batch` sizes count). */
  runWithInput(invocation: GitInvocation, input: string): Promise<Buffer>;
}

export interface GitRunnerOptions {
  maxConcurrentProcesses: number;
  /** Ignore the host's system and global git config, so behaviour does not depend on the machine. */
  isolateConfig: boolean;
  /** Told each time a git process is about to start (the repository cache's process count). */
  onProcess?: () => void;
}

// Ambient variables git needs to work at all (PATH, HOME for ~/.ssh), to reach the network through a proxy,
// or to trust a private CA. Everything else is dropped: simple-git filters GIT_* itself, we drop the rest.
const PASS_THROUGH = [
  "PATH",
  "HOME",
  "TMPDIR",
  "SSH_AUTH_SOCK",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
  "https_proxy",
  "http_proxy",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

function baseEnvironment(isolateConfig: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // The C locale keeps stderr in English: failures are classified by matching it.
  env["LC_ALL"] = "C";
  env["LANG"] = "C";
  env["LANGUAGE"] = "";
  env["GIT_TERMINAL_PROMPT"] = "0";
  if (isolateConfig) {
    env["GIT_CONFIG_NOSYSTEM"] = "1";
    env["GIT_CONFIG_GLOBAL"] = "/dev/null";
  }
  return env;
}

// simple-git 4 refuses environment variables it considers dangerous unless each is named and its category
// is unlocked. We only unlock what our own environment actually sets.
function simpleGitOptions(cwd: string, env: Record<string, string>, signal: AbortSignal): Partial<SimpleGitOptions> {
  const names = Object.keys(env);
  return {
    baseDir: cwd,
    abort: signal,
    trimmed: false,
    maxConcurrentProcesses: 1,
    allowEnvironment: names.filter((n) => n.startsWith("GIT_")),
    unsafe: {
      allowUnsafeConfigEnvCount: names.includes("GIT_CONFIG_COUNT"),
      allowUnsafeSshCommand: names.includes("GIT_SSH_COMMAND"),
      allowUnsafeConfigPaths: names.includes("GIT_CONFIG_GLOBAL"),
    },
  };
}

/**
 * Runs git through simple-git with an isolated environment, a hard timeout and a cap on live processes. simple-git
 * has no stdin, so the few commands fed one (`cat-file --batch`) are spawned directly, under the same cap.
 */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const semaphore = new Semaphore(options.maxConcurrentProcesses);
  const base = baseEnvironment(options.isolateConfig);
  return {
    run: (invocation) =>
      semaphore.run(async () => {
        options.onProcess?.();
        const env = { ...base, ...invocation.env };
        const signal = AbortSignal.timeout(invocation.timeoutMs);
        const git = simpleGit(simpleGitOptions(invocation.cwd, env, signal)).env(env);
        try {
          return await git.raw(invocation.args);
        } catch (err) {
          if (signal.aborted || (err instanceof GitPluginError && err.plugin === "abort")) {
            throw new GitProcessFailure(`timed out after ${invocation.timeoutMs} ms`, true);
          }
          throw new GitProcessFailure(err instanceof Error ? err.message : String(err), false);
        }
      }),
    runWithInput: (invocation, input) =>
      semaphore.run(() => {
        options.onProcess?.();
        return spawnWithInput(invocation, { ...base, ...invocation.env }, input);
      }),
  };
}

function spawnWithInput(invocation: GitInvocation, env: Record<string, string>, input: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", invocation.args, { cwd: invocation.cwd, env, stdio: "pipe" });
    const out: Buffer[] = [];
    let stderr = "";
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    // Rejected at once, not at "close": something git started may hold the pipes open after git is killed.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() => reject(new GitProcessFailure(`timed out after ${invocation.timeoutMs} ms`, true)));
    }, invocation.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    // A write to a process that died early fails here too; its close says why.
    child.stdin.on("error", () => {});
    child.on("error", (err) => settle(() => reject(new GitProcessFailure(err.message, false))));
    child.on("close", (code, signal) =>
      settle(() => {
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new GitProcessFailure(stderr || `git exited with ${signal ?? code}`, false));
      }),
    );
    child.stdin.end(input);
  });
}
