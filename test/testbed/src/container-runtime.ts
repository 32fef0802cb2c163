import { existsSync } from "node:fs";

const podmanSocket = "/run/podman/podman.sock";

/** testcontainers found no working container runtime (no Docker, no Podman API socket). */
export class ContainerRuntimeUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      "no container runtime for testcontainers: run scripts/testbed/setup.sh (Podman API on " +
        `${podmanSocket}) or set DOCKER_HOST`,
      { cause },
    );
    this.name = "ContainerRuntimeUnavailableError";
  }
}

/**
 * Points testcontainers at Podman's API when nothing else was chosen, with the settings of
 * scripts/testbed/env.sh, so that running vitest without sourcing that file still finds the runtime.
 */
export function preferPodmanWhenPresent(env: NodeJS.ProcessEnv = process.env): void {
  if (env["DOCKER_HOST"] || existsSync("/var/run/docker.sock") || !existsSync(podmanSocket)) return;
  env["DOCKER_HOST"] = `unix://${podmanSocket}`;
  env["TESTCONTAINERS_RYUK_DISABLED"] ??= "true";
  env["TESTCONTAINERS_HOST_OVERRIDE"] ??= "127.0.0.1";
}

/** True for testcontainers' errors that mean "there is no runtime", as opposed to "the container failed". */
export function isRuntimeMissing(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Could not find a working container runtime strategy|ENOENT|ECONNREFUSED/.test(message);
}
