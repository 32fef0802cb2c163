/** CI=true (or 1): a missing runtime fails the run instead of skipping tests. */
export function runningInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env["CI"]?.toLowerCase();
  return value === "true" || value === "1";
}

/** Errors that mean "this machine lacks the bed's runtime", as opposed to "the bed is broken". */
export function isMissingRuntime(error: unknown): error is Error {
  return error instanceof Error && ["MissingBinariesError", "ContainerRuntimeUnavailableError"].includes(error.name);
}
