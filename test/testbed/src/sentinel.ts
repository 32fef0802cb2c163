import { GenericContainer, type StartedTestContainer, Wait } from "testcontainers";
import { trackContainer, untrackContainer } from "./cleanup.ts";
import { preferPodmanWhenPresent } from "./container-runtime.ts";
import { freePort } from "./ports.ts";
import { defaultRedisImage } from "./redis.ts";

export interface StartSentinelOptions {
  /** The master it watches, as this machine reaches it (host networking: the same address works inside). */
  master: { host: string; port: number };
  /** @defaultValue "mymaster" */
  masterName?: string;
  /** @defaultValue $FLOTILLA_REDIS_IMAGE, else the test bed's Redis image (its redis-server runs as a Sentinel) */
  image?: string;
}

export interface StartedSentinel {
  host: string;
  port: number;
  masterName: string;
  stop(): Promise<void>;
}

/**
 * A real Redis Sentinel watching `master`, on the host's network (so it and its clients see the master at the
 * same address), for testing that services find Redis through Sentinel.
 */
export async function startSentinel(options: StartSentinelOptions): Promise<StartedSentinel> {
  preferPodmanWhenPresent();
  const image = options.image ?? process.env["FLOTILLA_REDIS_IMAGE"] ?? defaultRedisImage;
  const masterName = options.masterName ?? "mymaster";
  const port = await freePort();
  const conf = [
    `port ${port}`,
    "bind 127.0.0.1",
    `sentinel monitor ${masterName} ${options.master.host} ${options.master.port} 1`,
    `sentinel down-after-milliseconds ${masterName} 2000`,
  ].join("\\n");
  const container: StartedTestContainer = await new GenericContainer(image)
    .withNetworkMode("host")
    .withEntrypoint(["/bin/sh", "-c"])
    .withCommand([`printf '${conf}\\n' > /tmp/sentinel.conf && exec redis-server /tmp/sentinel.conf --sentinel`])
    .withWaitStrategy(Wait.forLogMessage(/\+monitor master/))
    .withStartupTimeout(60_000)
    .start();
  trackContainer(container.getId());
  return {
    host: "127.0.0.1",
    port,
    masterName,
    async stop() {
      try {
        await container.stop({ timeout: 2_000 });
      } finally {
        untrackContainer(container.getId());
      }
    },
  };
}
