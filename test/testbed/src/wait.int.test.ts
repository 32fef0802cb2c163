import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./ports.ts";
import { ManagedProcess } from "./process.ts";
import { StartupError, startRetryingTakenPorts, waitUntilReady } from "./wait.ts";

// A server that binds the port it is given, as etcd and the API servers do, and answers its pid, so that readiness
// is this process answering and not whoever holds the port; a taken port ends it with Node's own "listen
// EADDRINUSE: address already in use" in its log.
const SERVER = `require("node:net").createServer((s) => s.end(String(process.pid))).listen(Number(process.argv[1]), "127.0.0.1")`;

/** What the server on the port answers (its pid), or "" when nothing answers. */
const answerOn = (port: number) =>
  new Promise<string>((resolve) => {
    let text = "";
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.once("end", () => resolve(text));
    socket.once("error", () => resolve(""));
    socket.setTimeout(300, () => socket.destroy());
    socket.once("close", () => resolve(text));
  });

describe("startRetryingTakenPorts (real processes, a real port taken)", () => {
  const runDir = mkdtempSync(join(tmpdir(), "flotilla-wait-test-"));
  let taken: Server;
  let takenPort: number;
  const started: ManagedProcess[] = [];

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop(1_000)));
    await new Promise((resolve) => taken.close(resolve));
    rmSync(runDir, { recursive: true, force: true });
  });

  /** Attempt n binds ports[n - 1]. */
  const attemptOn = (ports: readonly number[], name: string) => async (attempt: number) => {
    const port = ports[attempt - 1] ?? (await freePort());
    const process = ManagedProcess.start({
      name: `${name}-${attempt}`,
      command: globalThis.process.execPath,
      args: ["-e", SERVER, String(port)],
      logFile: join(runDir, `${name}-${attempt}.log`),
      runDir,
    });
    started.push(process);
    return {
      process,
      ready: async () => {
        await waitUntilReady(process, async () => (await answerOn(port)) === String(process.pid), 10_000, 50);
        return { port, attempt };
      },
    };
  };

  it("starts again on other ports when the first attempt's port was taken", async () => {
    const result = await startRetryingTakenPorts(3, attemptOn([takenPort, takenPort], "retried"));
    expect(result.attempt).toBe(3);
    expect(result.port).not.toBe(takenPort);
    expect(await answerOn(result.port)).toBe(String(started.find((p) => p.name === "retried-3")?.pid));
    // The failed attempts were stopped, not left running.
    expect(started.filter((p) => p.name.startsWith("retried-") && p.name !== "retried-3").every((p) => p.exit)).toBe(
      true,
    );
  });

  it("gives up after its attempts with the last attempt's log in the error", async () => {
    const failure = startRetryingTakenPorts(2, attemptOn([takenPort, takenPort, takenPort], "exhausted"));
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(/exhausted-2 did not start[\s\S]*address already in use/);
    expect(started.filter((p) => p.name.startsWith("exhausted-"))).toHaveLength(2);
  });

  it("does not retry a failure that is not a taken port", async () => {
    let attempts = 0;
    const failure = startRetryingTakenPorts(3, async (attempt) => {
      attempts = attempt;
      const process = ManagedProcess.start({
        name: `broken-${attempt}`,
        command: globalThis.process.execPath,
        args: ["-e", `console.error("no such flag: --bogus"); process.exit(2)`],
        logFile: join(runDir, `broken-${attempt}.log`),
        runDir,
      });
      started.push(process);
      return { process, ready: () => waitUntilReady(process, async () => false, 10_000, 50) };
    });
    await expect(failure).rejects.toThrow(/broken-1 did not start: exited with code 2[\s\S]*no such flag/);
    expect(attempts).toBe(1);
  });
});
