import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** How the image's services run here: host network, read-only root, uid 10001, only the writable paths on tmpfs. */
export interface ContainerSpec {
  name: string;
  image: string;
  /** The entrypoint's arguments: `api`, `worker`, `cluster add …`. */
  args: readonly string[];
  /** Variables set in the container. Passed to podman by name, so no value (a token, a key) is on its command line. */
  env: Record<string, string>;
  /** Host file or directory → path in the container, mounted read-only. */
  mounts?: Record<string, string>;
}

/** The paths the image writes to (HOME and the repository cache, temp); everything else is read-only. */
export const WRITABLE_PATHS = ["/var/lib/flotilla", "/tmp"] as const;

function runArgs(spec: ContainerSpec, detach: boolean): string[] {
  const args = ["run", ...(detach ? ["--detach"] : ["--rm"]), "--name", spec.name, "--network", "host"];
  args.push("--read-only", "--read-only-tmpfs=false", "--user", "10001:10001");
  // U: the tmpfs belongs to the container's user, as an emptyDir with fsGroup would.
  for (const path of WRITABLE_PATHS) args.push("--tmpfs", `${path}:rw,nosuid,nodev,mode=0700,U`);
  for (const name of Object.keys(spec.env)) args.push("--env", name);
  for (const [host, inside] of Object.entries(spec.mounts ?? {})) args.push("--volume", `${host}:${inside}:ro`);
  return [...args, spec.image, ...spec.args];
}

function podman(args: readonly string[], env: Record<string, string> = {}) {
  return exec("podman", args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/** Starts a service container in the background; returns its id. */
export async function startContainer(spec: ContainerSpec): Promise<string> {
  const { stdout } = await podman(runArgs(spec, true), spec.env);
  return stdout.trim();
}

/** Runs the image's entrypoint to completion (a CLI verb); the container is removed after. */
export async function runContainer(spec: ContainerSpec): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await podman(runArgs(spec, false), spec.env);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export async function containerLogs(name: string): Promise<string> {
  const { stdout, stderr } = await podman(["logs", name]).catch(() => ({ stdout: "", stderr: "" }));
  return stdout + stderr;
}

/** SIGTERM (through tini), then SIGKILL after `timeoutSeconds`; returns the exit code the service ended with. */
export async function stopContainer(name: string, timeoutSeconds = 30): Promise<number> {
  await podman(["stop", "--time", String(timeoutSeconds), name]);
  const { stdout } = await podman(["inspect", "--format", "{{.State.ExitCode}}", name]);
  return Number(stdout.trim());
}

/** Removes every container whose name starts with `prefix`, running or not. */
export async function removeContainers(prefix: string): Promise<void> {
  const names = await listContainers(prefix);
  if (names.length > 0) await podman(["rm", "--force", "--time", "5", ...names]);
}

export async function listContainers(prefix: string): Promise<string[]> {
  const { stdout } = await podman(["ps", "--all", "--filter", `name=^${prefix}`, "--format", "{{.Names}}"]);
  return stdout.split("\n").filter((n) => n !== "");
}

/** Of `names`, the containers that are no longer running. */
export async function exitedContainers(names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { stdout } = await podman(["inspect", "--format", "{{.Name}} {{.State.Running}}", ...names]);
  return stdout
    .split("\n")
    .filter((line) => line.endsWith(" false"))
    .map((line) => line.split(" ")[0] as string);
}
