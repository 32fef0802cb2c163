import { setTimeout as sleep } from "node:timers/promises";
import type { ManagedProcess } from "./process.ts";

/** A process of the bed did not become ready; the message carries the end of its log. */
export class StartupError extends Error {
  constructor(component: ManagedProcess, reason: string) {
    super(`${component.name} did not start: ${reason}\n--- ${component.logFile} (last lines) ---\n${component.tail()}`);
    this.name = "StartupError";
  }
}

/**
 * Polls `ready` every `intervalMs` until it returns true. Fails early when `process` exits, and after
 * `timeoutMs` otherwise, with the process's log in the error either way.
 */
export async function waitUntilReady(
  process: ManagedProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (process.exit) {
      throw new StartupError(process, `exited with ${process.exit.signal ?? `code ${process.exit.code}`}`);
    }
    try {
      if (await ready()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
  throw new StartupError(process, `not ready after ${timeoutMs} ms${detail}`);
}

/**
 * Starts a server on ports picked by `freePort` until it is ready: `start` spawns attempt `n` and says how to wait
 * for it. An attempt that failed because a port was handed to someone else before the server bound it (its log
 * says "address already in use") is stopped and the next one picks new ports; after `attempts`, or on any other
 * failure, the error is thrown.
 */
export async function startRetryingTakenPorts<T>(
  attempts: number,
  start: (attempt: number) => Promise<{ process: ManagedProcess; ready: () => Promise<T> }>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { process, ready } = await start(attempt);
    try {
      return await ready();
    } catch (error) {
      await process.stop(1_000);
      const portTaken = error instanceof StartupError && process.tail(50).includes("address already in use");
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}
