import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { ToolFailedError, ToolNotFoundError } from "./errors/tool-errors.ts";
import type { RenderLimits, ToolPaths } from "./options.ts";

export type ToolName = keyof ToolPaths;

const ENV_VAR: Record<ToolName, string> = { helm: "FLOTILLA_HELM", kustomize: "FLOTILLA_KUSTOMIZE" };

export interface ToolRun {
  args: string[];
  cwd: string;
  /** An empty directory used as HOME and for every cache and config the tool would otherwise share. */
  home: string;
  /** Removed from stderr, so that messages show repository paths rather than this render's temp directory. */
  scrub: string[];
}

/** Runs helm or kustomize and returns stdout; the seam tests of the source renderers could replace. */
export interface ToolRunner {
  run(tool: ToolName, run: ToolRun): Promise<string>;
}

// Any HTTP(S) request a tool attempts goes to a closed loopback port and fails at once: rendering must
// depend on the commit only, never on what a URL serves today (remote bases, value files by URL, chart
// dependencies). The empty PATH does the same for kustomize's `git clone` of remote bases.
const NO_NETWORK_PROXY = "http://127.0.0.1:9";

function toolEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: "",
    HOME: home,
    TMPDIR: home,
    LANG: "C",
    XDG_CACHE_HOME: join(home, "cache"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "data"),
    HELM_CACHE_HOME: join(home, "cache", "helm"),
    HELM_CONFIG_HOME: join(home, "config", "helm"),
    HELM_DATA_HOME: join(home, "data", "helm"),
    HELM_PLUGINS: join(home, "plugins"),
    HTTP_PROXY: NO_NETWORK_PROXY,
    HTTPS_PROXY: NO_NETWORK_PROXY,
    http_proxy: NO_NETWORK_PROXY,
    https_proxy: NO_NETWORK_PROXY,
    NO_PROXY: "",
    no_proxy: "",
  };
}

/** An explicit path is used as is; a bare name is looked up on the worker's own PATH. */
export function locateBinary(
  configured: string,
  pathEnv: string | undefined = process.env["PATH"],
): string | undefined {
  const executable = (candidate: string): boolean => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured.includes("/")) {
    const abs = isAbsolute(configured) ? configured : resolve(configured);
    return executable(abs) ? abs : undefined;
  }
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, configured);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export function trimStderr(stderr: string, scrub: readonly string[], maxChars: number): string {
  let text = stderr;
  for (const prefix of scrub) text = text.split(`${prefix}/`).join("").split(prefix).join(".");
  text = text.replace(/\s+$/u, "").replace(/^\s+/u, "");
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
  return text;
}

export function createToolRunner(paths: ToolPaths, limits: RenderLimits): ToolRunner {
  return {
    run(tool, { args, cwd, home, scrub }) {
      const binary = locateBinary(paths[tool]);
      if (!binary) return Promise.reject(new ToolNotFoundError(tool, paths[tool], ENV_VAR[tool]));
      return new Promise<string>((resolvePromise, reject) => {
        const child = spawn(binary, args, { cwd, env: toolEnv(home), stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        let stdoutBytes = 0;
        let stderr = "";
        let killedFor: "timeout" | "output" | undefined;
        const kill = (why: "timeout" | "output") => {
          killedFor ??= why;
          child.kill("SIGKILL");
        };
        const timer = setTimeout(() => kill("timeout"), limits.toolTimeoutMs);
        child.stdout.on("data", (chunk: Buffer) => {
          stdoutBytes += chunk.length;
          if (stdoutBytes > limits.maxToolOutputBytes) kill("output");
          else stdout.push(chunk);
        });
        child.stderr.on("data", (chunk: Buffer) => {
          // Only the head of stderr is ever shown; keeping more would let a chatty tool grow memory.
          if (stderr.length < limits.maxStderrChars * 4) stderr += chunk.toString("utf8");
        });
        child.on("error", (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          if (err.code === "ENOENT" || err.code === "EACCES")
            reject(new ToolNotFoundError(tool, binary, ENV_VAR[tool]));
          else
            reject(
              new ToolFailedError({
                tool,
                reason: `${tool} could not start (${err.message})`,
                exitCode: null,
                stderr: "",
              }),
            );
        });
        child.on("close", (code) => {
          clearTimeout(timer);
          const trimmed = trimStderr(stderr, scrub, limits.maxStderrChars);
          if (killedFor === "timeout") {
            reject(
              new ToolFailedError({
                tool,
                reason: `${tool} ${args[0]} did not finish within ${limits.toolTimeoutMs} ms`,
                exitCode: null,
                stderr: trimmed,
                timedOut: true,
              }),
            );
          } else if (killedFor === "output") {
            reject(
              new ToolFailedError({
                tool,
                reason: `${tool} ${args[0]} wrote more than ${limits.maxToolOutputBytes} bytes`,
                exitCode: null,
                stderr: "",
              }),
            );
          } else if (code !== 0) {
            reject(
              new ToolFailedError({
                tool,
                reason: `${tool} ${args[0]} failed (exit ${code})`,
                exitCode: code,
                stderr: trimmed,
              }),
            );
          } else resolvePromise(Buffer.concat(stdout).toString("utf8"));
        });
      });
    },
  };
}
