import { randomBytes } from "node:crypto";
import { eventually, freePort, redisRetryLines, type StartedRedis, startRedis, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configMapPath, deploymentPath, liveObject, secondsSince } from "./cluster-objects.ts";
import { slowWaves, wavesFleetFiles } from "./fixtures.ts";
import { FaultFleet } from "./fleet.ts";
import { recordFault } from "./report/record.ts";

const APPSET = "waves";

/**
 * Redis stopped and started again (same port, its append-only file kept) while a sync waits for its first wave:
 * the generator and the worker, each its own process, ride it out and the sync completes. On a Redis of its own.
 */
describeWithClusters("fault: Redis restarted mid-wave", (clusters) => {
  const cluster = clusters[1] ?? clusters[0]!;
  const name = `faults-redis-${randomBytes(3).toString("hex")}`;
  const namespace = name;
  const repo = new TestGitRepo();
  const app = `${APPSET}-${cluster.name}`;
  let redis: StartedRedis;
  let fleet: FaultFleet;

  const files = (extra: Record<string, string>) =>
    wavesFleetFiles({ appSet: APPSET, fleet: name, repo: repo.dir, namespace }, extra);
  const synced = (revision: string) => fleet.syncedAt(cluster.name, APPSET, app, revision);

  beforeAll(async () => {
    redis = await startRedis({ hostPort: await freePort(), appendOnly: true });
    repo.commit(files({}), "keeper only");
    fleet = await FaultFleet.start({ name, redisUrl: redis.info.url, clusters: [cluster], fleetRepo: repo.dir });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    await redis?.stop();
    repo.remove();
  });

  it("every process reconnects, the sync completes, nothing is deleted in Redis or on the cluster", async () => {
    await recordFault(
      {
        id: "redis-restart",
        order: 2,
        fault: "Redis stopped and started again (same port, AOF) while a sync waits for its first wave",
        expected:
          "generator and worker retry and reconnect without exiting; the sync completes; registry, objects kept",
      },
      async () => {
        const first = repo.git("rev-parse", "HEAD").trim();
        await synced(first);
        const keeper = await liveObject(cluster, configMapPath(namespace, "keeper"));

        const second = repo.commit(
          files({ "apps/waves/slow.yaml": slowWaves({ minReadySeconds: 12, count: 5, version: "2" }) }),
          "two waves",
        );
        await fleet.push();
        const deployment = await eventually(
          "wave 0 applied, wave 1 not yet",
          async () => {
            const d = await liveObject(cluster, deploymentPath(namespace, "slow"));
            if (d === undefined) return undefined;
            return (await liveObject(cluster, configMapPath(namespace, "after-0"))) === undefined ? d : undefined;
          },
          60_000,
          100,
        );
        const worker = fleet.workers.get("pool-1")!;
        const generatorRetries = () => fleet.generator.logs().filter((l) => l.msg === "Redis unreachable; retrying");
        const before = { worker: 0, generator: generatorRetries().length };

        await redis.stopServer();
        expect(await liveObject(cluster, configMapPath(namespace, "after-0"))).toBeUndefined();
        // Down until both services have said so, each through its own connection's retry warnings.
        await redisRetryLines(worker, 2);
        await eventually("the generator's retry warnings", () =>
          generatorRetries().length > before.generator ? true : undefined,
        );
        await redis.startServer();
        const upAt = performance.now();

        await synced(second);
        const recovery = secondsSince(upAt);
        expect(worker.child.exitCode).toBeNull();
        expect(fleet.generator.child.exitCode).toBeNull();
        // The data came back with the server: the registry still has the cluster, the generation is in force.
        expect(await fleet.store.clusters.get(cluster.name)).toMatchObject({ name: cluster.name });
        const after = await liveObject(cluster, deploymentPath(namespace, "slow"));
        expect(after?.uid).toBe(deployment.uid);
        expect(after?.generation).toBe(1);
        expect(await liveObject(cluster, configMapPath(namespace, "keeper"))).toMatchObject({
          uid: keeper?.uid,
          data: { kept: "yes" },
        });
        for (let i = 0; i < 5; i++) {
          expect((await liveObject(cluster, configMapPath(namespace, `after-${i}`)))?.data).toEqual({ version: "2" });
        }
        // Once back, one more commit goes through end to end: nothing stayed wedged.
        const third = repo.commit(
          files({ "apps/waves/slow.yaml": slowWaves({ minReadySeconds: 12, count: 5, version: "3" }) }),
          "after the restart",
        );
        await fleet.push();
        await synced(third);
        expect((await liveObject(cluster, configMapPath(namespace, "after-4")))?.data).toEqual({ version: "3" });
        return {
          observed: `worker and generator logged retries and reconnected (neither exited); the wave sync finished Synced/Healthy, Deployment same uid, keeper kept, registry intact; a later commit rolled out`,
          recoverySeconds: recovery,
        };
      },
    );
  }, 300_000);
});
