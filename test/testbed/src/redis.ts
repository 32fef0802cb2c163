import { createConnection } from "node:net";
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from "testcontainers";
import { isAlive, trackContainer, untrackContainer } from "./cleanup.ts";
import { ContainerRuntimeUnavailableError, isRuntimeMissing, preferPodmanWhenPresent } from "./container-runtime.ts";

/** Plain data about a running Redis, safe to hand to test workers. */
export interface RedisInfo {
  /** redis://host:port */
  url: string;
  host: string;
  port: number;
  image: string;
  containerId: string;
}

export interface StartedRedis {
  info: RedisInfo;
  stop(): Promise<void>;
  /**
   * Stops the Redis server (its container) without removing it: clients see connections refused. Only with a
   * fixed `hostPort`, so that `startServer` brings it back where its clients look.
   */
  stopServer(): Promise<void>;
  /** Starts the stopped server again, same port, same data (what it had persisted), and waits until it answers. */
  startServer(): Promise<void>;
}

export interface StartRedisOptions {
  /** @defaultValue $FLOTILLA_REDIS_IMAGE, else localhost/flotilla-redis:7 (built by scripts/testbed/setup.sh) */
  image?: string;
  /** Publish on this host port rather than one picked at start: needed for `stopServer`/`startServer`. */
  hostPort?: number;
  /** `appendonly yes` with `appendfsync always`: what was written survives `stopServer`. @defaultValue false */
  appendOnly?: boolean;
}

// The image's own command, plus the append-only file; its directory is the container's, kept across stop/start.
const APPEND_ONLY_COMMAND = [
  "redis-server",
  "--bind",
  "0.0.0.0",
  "--protected-mode",
  "no",
  "--save",
  "",
  "--dir",
  "/tmp",
  "--appendonly",
  "yes",
  "--appendfsync",
  "always",
];

/** One PING over a raw socket: true on PONG (a Redis still loading its file answers -LOADING, so false). */
function pings(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (chunk) => done(chunk.toString().startsWith("+PONG")));
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

async function untilPong(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pings(host, port))) {
    if (Date.now() > deadline) throw new Error(`Redis on ${host}:${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const defaultRedisImage = "localhost/flotilla-redis:7";
const ownerLabel = "dev.flotilla.testbed.owner";

/** Removes containers left by test runs that were killed before their teardown ran. */
async function sweepDeadContainers(): Promise<void> {
  const client = await getContainerRuntimeClient();
  const orphans = (await client.container.list()).filter((c) => {
    const owner = Number.parseInt(c.Labels?.[ownerLabel] ?? "", 10);
    return Number.isInteger(owner) && !isAlive(owner);
  });
  await Promise.all(
    orphans.map(async (c) => {
      const orphan = client.container.getById(c.Id);
      await client.container.stop(orphan, { timeout: 0 }).catch(() => undefined);
      await client.container.remove(orphan, { removeVolumes: true });
    }),
  );
}

/** Starts Redis in a container through testcontainers and waits until it accepts connections. */
export async function startRedis(options: StartRedisOptions = {}): Promise<StartedRedis> {
  preferPodmanWhenPresent();
  const image = options.image ?? process.env["FLOTILLA_REDIS_IMAGE"] ?? defaultRedisImage;
  let container: StartedTestContainer;
  try {
    await sweepDeadContainers();
    const base = new GenericContainer(image).withExposedPorts(
      options.hostPort === undefined ? 6379 : { container: 6379, host: options.hostPort },
    );
    container = await (options.appendOnly ? base.withCommand(APPEND_ONLY_COMMAND) : base)
      .withLabels({ [ownerLabel]: String(process.pid) })
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .withStartupTimeout(60_000)
      .start();
  } catch (error) {
    if (isRuntimeMissing(error)) throw new ContainerRuntimeUnavailableError(error);
    throw new Error(`starting Redis from image ${image} failed`, { cause: error });
  }
  trackContainer(container.getId());
  const host = container.getHost();
  const port = container.getMappedPort(6379);
  const fixedPort = () => {
    if (options.hostPort === undefined) throw new Error("stopServer/startServer need startRedis({ hostPort })");
  };
  return {
    info: { url: `redis://${host}:${port}`, host, port, image, containerId: container.getId() },
    async stopServer() {
      fixedPort();
      const client = await getContainerRuntimeClient();
      await client.container.stop(client.container.getById(container.getId()), { timeout: 2_000 });
    },
    async startServer() {
      fixedPort();
      const client = await getContainerRuntimeClient();
      await client.container.start(client.container.getById(container.getId()));
      await untilPong(host, port, 60_000);
    },
    async stop() {
      try {
        await container.stop({ timeout: 2_000 });
      } catch (error) {
        // Already gone (removed by hand, or by a runtime restart) is as good as stopped.
        if (!/404|no such container/i.test(String(error))) throw error;
      } finally {
        untrackContainer(container.getId());
      }
    },
  };
}
