import { randomBytes } from "node:crypto";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configMapPath, deploymentPath, liveObject, secondsSince } from "./cluster-objects.ts";
import { slowWaves, wavesFleetFiles } from "./fixtures.ts";
import { FaultFleet } from "./fleet.ts";
import { recordFault } from "./report/record.ts";

const APPSET = "waves";
const WAVE_ONE = 12;

/**
 * A pool worker SIGKILLed while a sync waits for its first wave to become Healthy: the other pool worker takes the
 * cluster's lease and the stalled job over and finishes the sync. Two pool workers, one real cluster.
 */
describeWithClusters("fault: a worker SIGKILLed mid-wave", (clusters) => {
  const cluster = clusters[0]!;
  const name = `faults-kill-${randomBytes(3).toString("hex")}`;
  const namespace = name;
  const repo = new TestGitRepo();
  const app = `${APPSET}-${cluster.name}`;
  let fleet: FaultFleet;

  const files = (extra: Record<string, string>) =>
    wavesFleetFiles({ appSet: APPSET, fleet: name, repo: repo.dir, namespace }, extra);
  const synced = (revision: string) => fleet.syncedAt(cluster.name, APPSET, app, revision);

  beforeAll(async () => {
    repo.commit(files({}), "keeper only");
    fleet = await FaultFleet.start({
      name,
      redisUrl: testbedRedis().url,
      clusters: [cluster],
      fleetRepo: repo.dir,
      workers: ["pool-a", "pool-b"],
    });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    repo.remove();
  });

  it("the other worker finishes the sync: every wave applied once, in order, nothing lost", async () => {
    await recordFault(
      {
        id: "worker-sigkill",
        order: 1,
        fault: "pool worker SIGKILLed while a sync waits for its first wave (a Deployment, minReadySeconds 12)",
        expected:
          "the other worker takes the lease and the stalled job, finishes the waves; nothing re-created, Synced/Healthy",
      },
      async () => {
        const first = repo.git("rev-parse", "HEAD").trim();
        await fleet.push().catch(() => undefined);
        await synced(first).catch((error: unknown) => {
          throw new Error(`${String(error)}\n${fleet.tail()}`);
        });
        const keeper = await liveObject(cluster, configMapPath(namespace, "keeper"));
        expect(keeper?.data).toEqual({ kept: "yes" });

        const second = repo.commit(
          files({ "apps/waves/slow.yaml": slowWaves({ minReadySeconds: WAVE_ONE, count: 5, version: "2" }) }),
          "two waves",
        );
        await fleet.push();
        // Mid-wave: wave 0 is on the cluster and wave 1 is not, so the sync is waiting for the Deployment.
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
        const holder = await fleet.holderOf(cluster.name);
        expect(["pool-a", "pool-b"]).toContain(holder);
        const victim = fleet.workers.get(holder!)!;
        victim.kill();
        await victim.exited;
        const killedAt = performance.now();
        expect(victim.child.signalCode).toBe("SIGKILL");
        expect(await liveObject(cluster, configMapPath(namespace, "after-0"))).toBeUndefined();

        const status = await synced(second);
        const recovery = secondsSince(killedAt);
        const survivor = holder === "pool-a" ? "pool-b" : "pool-a";
        expect(await fleet.holderOf(cluster.name)).toBe(survivor);
        expect(fleet.workers.get(survivor)!.child.exitCode).toBeNull();

        // Applied once: the Deployment the killed worker created is the one that stays (same uid, never changed, so
        // one ReplicaSet), the earlier object was never touched, and wave 1 came after wave 0.
        const after = await liveObject(cluster, deploymentPath(namespace, "slow"));
        expect(after?.uid).toBe(deployment.uid);
        expect(after?.generation).toBe(1);
        // The keeper is re-stamped with the new commit (flotilla.dev/commit), nothing more: same object, same data.
        expect(await liveObject(cluster, configMapPath(namespace, "keeper"))).toMatchObject({
          uid: keeper?.uid,
          data: { kept: "yes" },
        });
        for (let i = 0; i < 5; i++) {
          expect((await liveObject(cluster, configMapPath(namespace, `after-${i}`)))?.data).toEqual({ version: "2" });
        }
        expect(
          status.resources
            .map((r) =>
              r.id
                .split("/")
                .filter((_, i) => i === 1 || i === 3)
                .join("/"),
            )
            .sort(),
        ).toEqual(
          ["ConfigMap/keeper", "Deployment/slow", ...[0, 1, 2, 3, 4].map((i) => `ConfigMap/after-${i}`)].sort(),
        );
        return {
          observed: `${holder} killed with wave 1 unapplied; ${survivor} finished: Synced/Healthy at the commit, Deployment same uid and generation 1, 5/5 wave-1 objects, keeper untouched`,
          recoverySeconds: recovery,
        };
      },
    );
  }, 240_000);
});
