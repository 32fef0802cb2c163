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
}

export interface StartRedisOptions {
  /** @defaultValue $FLOTILLA_REDIS_IMAGE, else localhost/flotilla-redis:7 (built by scripts/testbed/setup.sh) */
  image?: string;
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
    container = await new GenericContainer(image)
      .withExposedPorts(6379)
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
  return {
    info: { url: `redis://${host}:${port}`, host, port, image, containerId: container.getId() },
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
