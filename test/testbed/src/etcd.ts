import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { ManagedProcess } from "./process.ts";
import { startRetryingTakenPorts, waitUntilReady } from "./wait.ts";

/** One etcd member serving every API server of a bed, each under its own --etcd-prefix. */
export interface Etcd {
  clientUrl: string;
  process: ManagedProcess;
}

/**
 * Starts etcd on two ports picked free and waits for /health; a port taken meanwhile is retried on others
 * (`startRetryingTakenPorts`), as the API servers' are.
 */
export function startEtcd(binary: string, runDir: string): Promise<Etcd> {
  return startRetryingTakenPorts(3, async (attempt) => {
    // A member that failed to start may have written its data dir; the next one starts from a clean one.
    const dataDir = join(runDir, attempt === 1 ? "etcd" : `etcd.${attempt}`);
    await mkdir(dataDir, { recursive: true });
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const process = ManagedProcess.start({
      name: "etcd",
      command: binary,
      args: [
        "--name=flotilla",
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=flotilla=${peerUrl}`,
        // Test data is thrown away at the end of the run; fsync would only slow every write down.
        "--unsafe-no-fsync",
        "--log-level=warn",
      ],
      logFile: join(runDir, attempt === 1 ? "etcd.log" : `etcd.${attempt}.log`),
      runDir,
    });
    const ready = async (): Promise<Etcd> => {
      await waitUntilReady(
        process,
        async () => {
          const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
          return res.ok && ((await res.json()) as { health?: string }).health === "true";
        },
        30_000,
      );
      return { clientUrl, process };
    };
    return { process, ready };
  });
}
