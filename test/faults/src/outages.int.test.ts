import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dumbHttpGitServer, type LocalServer } from "@flotilla/git/testing";
import type { GenerationRecord } from "@flotilla/store";
import {
  type ClusterInfo,
  eventually,
  forwardTcp,
  freePort,
  pauseCluster,
  resumeCluster,
  type TcpForward,
  TestGitRepo,
} from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configMapPath, type LiveObject, liveObject, secondsSince } from "./cluster-objects.ts";
import { appSetYaml, configMapYaml } from "./fixtures.ts";
import { FaultFleet } from "./fleet.ts";
import { recordFault } from "./report/record.ts";

/** A real minute: what an operator means by "down for a minute", longer than every retry and lease in play. */
const OUTAGE_MS = 60_000;
/** How soon a commit must reach the clusters that stayed up, while the other is down. */
const ON_TIME_MS = 45_000;
const APPSET = "outage";
const TOKEN = "faults-git-token";

const appFiles = (fleet: string, repo: string, namespace: string, version: string) => ({
  [`appsets/${APPSET}.yaml`]: appSetYaml({ name: APPSET, fleet, repo, path: "apps/outage", namespace }),
  "apps/outage/keeper.yaml": configMapYaml("keeper", { kept: "yes" }),
  "apps/outage/versioned.yaml": configMapYaml("versioned", { version }),
});

/** Every listed cluster's Application Synced at `revision`. */
async function syncedAt(fleet: FaultFleet, clusters: ClusterInfo[], revision: string): Promise<boolean> {
  const s = await Promise.all(clusters.map((c) => fleet.appStatus(c.name, APPSET, `${APPSET}-${c.name}`)));
  return s.every((x) => x?.sync === "Synced" && x.revision === revision);
}

async function objectsOn(clusters: ClusterInfo[], namespace: string) {
  return Promise.all(
    clusters.map(async (c) => ({
      keeper: await liveObject(c, configMapPath(namespace, "keeper")),
      versioned: await liveObject(c, configMapPath(namespace, "versioned")),
    })),
  );
}

const uids = (objects: { keeper?: LiveObject; versioned?: LiveObject }[]) =>
  objects.map((o) => [o.keeper?.uid, o.versioned?.uid]);

/**
 * The two one-minute faults, at the same time on two fleets of their own (own Redis prefixes, own namespaces),
 * so the suite pays one minute for both: fleet A loses one cluster's API server (SIGSTOP: it hangs), fleet B
 * loses its Git server (connections refused). Fleet B keeps off the paused cluster so neither outage blurs the
 * other's assertions.
 */
describeWithClusters("faults: one cluster down and Git unreachable, a minute each, at once", (clusters) => {
  const down = clusters[clusters.length - 1]!;
  const up = clusters.filter((c) => c !== down);
  const suffix = randomBytes(3).toString("hex");
  const nameA = `faults-cluster-${suffix}`;
  const nameB = `faults-git-${suffix}`;
  const repoA = new TestGitRepo();
  const repoB = new TestGitRepo();
  const served = mkdtempSync(join(tmpdir(), "flotilla-faults-served-"));
  const bare = join(served, "fleet.git");
  let gitServer: LocalServer;
  let gitPort: number;
  let gitFront: TcpForward | undefined;
  let fleetA: FaultFleet;
  let fleetB: FaultFleet;
  let gitUrl: string;

  /** Publishes repoB's main where the HTTP server serves it (a push to the hosted repository). */
  const publish = () => {
    repoB.git("push", "--quiet", "--force", bare, "main");
    repoB.git("-C", bare, "update-server-info");
  };

  beforeAll(async () => {
    repoA.commit(appFiles(nameA, repoA.dir, nameA, "1"), "outage app");
    repoB.git("init", "--quiet", "--bare", "--initial-branch=main", bare);
    gitServer = await dumbHttpGitServer(bare, `Basic ${Buffer.from(`bot:${TOKEN}`).toString("base64")}`);
    // A front on a port of our own: closing it is Git going away, reopening it on the same port is Git coming back.
    gitPort = await freePort();
    gitFront = await forwardTcp({
      port: gitPort,
      to: { host: "127.0.0.1", port: Number(new URL(gitServer.url).port) },
    });
    gitUrl = `http://127.0.0.1:${gitPort}/fleet.git`;
    repoB.commit(appFiles(nameB, gitUrl, nameB, "1"), "outage app");
    publish();
    const credentials = join(served, "git-credentials.yaml");
    writeFileSync(join(served, "token"), TOKEN, { mode: 0o600 });
    writeFileSync(
      credentials,
      `- urlPrefix: http://127.0.0.1:${gitPort}/\n  kind: https-token\n  username: bot\n  tokenFile: ${join(served, "token")}\n`,
    );
    [fleetA, fleetB] = await Promise.all([
      FaultFleet.start({ name: nameA, redisUrl: testbedRedis().url, clusters, fleetRepo: repoA.dir }),
      FaultFleet.start({
        name: nameB,
        redisUrl: testbedRedis().url,
        clusters: up,
        fleetRepo: gitUrl,
        api: true,
        // The poll is what finds Git back: the webhook of the commit made during the outage came and failed.
        pollInterval: "5s",
        env: { FLOTILLA_GIT_CREDENTIALS: credentials },
      }),
    ]);
    await Promise.all([fleetA.push(), fleetB.push()]);
    const firstA = repoA.git("rev-parse", "HEAD").trim();
    const firstB = repoB.git("rev-parse", "HEAD").trim();
    await eventually(
      "both fleets converged before the faults",
      async () =>
        (await syncedAt(fleetA, clusters, firstA)) && (await syncedAt(fleetB, up, firstB)) ? true : undefined,
      120_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nA:\n${fleetA.tail()}\nB:\n${fleetB.tail()}`);
    });
  }, 300_000);

  afterAll(async () => {
    resumeCluster(down);
    await gitFront?.close();
    await Promise.all([fleetA?.close(), fleetB?.close(), gitServer?.close()]);
    repoA.remove();
    repoB.remove();
    rmSync(served, { recursive: true, force: true });
  });

  const clusterOutage = () =>
    recordFault(
      {
        id: "cluster-down",
        order: 4,
        fault: `one cluster's API server down for a minute (SIGSTOP: requests hang), a commit made during it`,
        expected: `the other clusters get the commit within ${ON_TIME_MS / 1000} s, during the outage; the down one after it returns; nothing deleted on it`,
      },
      async () => {
        const before = await objectsOn(clusters, nameA);
        pauseCluster(down);
        const pausedAt = performance.now();
        let onTime: number;
        try {
          const second = repoA.commit(appFiles(nameA, repoA.dir, nameA, "2"), "version 2 during the outage");
          const committedAt = performance.now();
          await fleetA.push();
          await eventually(
            "the clusters that stayed up converged",
            async () => ((await syncedAt(fleetA, up, second)) ? true : undefined),
            ON_TIME_MS,
          );
          onTime = secondsSince(committedAt);
          expect(performance.now() - pausedAt).toBeLessThan(OUTAGE_MS);
          for (const c of up) {
            expect((await liveObject(c, configMapPath(nameA, "versioned")))?.data).toEqual({ version: "2" });
          }
          const downStatus = await fleetA.appStatus(down.name, APPSET, `${APPSET}-${down.name}`);
          expect(downStatus?.revision).not.toBe(second);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (performance.now() - pausedAt))));
        } finally {
          resumeCluster(down);
        }
        const resumedAt = performance.now();
        const second = repoA.git("rev-parse", "HEAD").trim();
        await eventually(
          "the returned cluster converged",
          async () => ((await syncedAt(fleetA, [down], second)) ? true : undefined),
          180_000,
        );
        const recovery = secondsSince(resumedAt);
        const after = await objectsOn(clusters, nameA);
        // Nothing deleted or re-created anywhere: the same objects, the down cluster's included, now at version 2.
        expect(uids(after)).toEqual(uids(before));
        expect(after.map((o) => o.versioned?.data?.version)).toEqual(clusters.map(() => "2"));
        expect(after.every((o) => o.keeper?.data?.kept === "yes")).toBe(true);
        return {
          observed: `${up.map((c) => c.name).join(", ")} Synced at the new commit ${onTime.toFixed(1)} s after it, ${down.name} still down; ${down.name} Synced after it came back; no object deleted or re-created on any cluster`,
          recoverySeconds: recovery,
        };
      },
    );

  const gitOutage = () =>
    recordFault(
      {
        id: "git-down",
        order: 5,
        fault: "Git server unreachable for a minute (connections refused), a commit pushed during it",
        expected:
          "the last good revision stays applied, nothing deleted, the fetch error in `flotilla status`; the commit rolls out once Git is back",
      },
      async () => {
        const first = repoB.git("rev-parse", "HEAD").trim();
        const before = await objectsOn(up, nameB);
        await gitFront?.close();
        gitFront = undefined;
        const downAt = performance.now();
        let record: GenerationRecord;
        let printed: string;
        try {
          // The commit lands on the Git host (which the generator cannot reach), and its webhook arrives.
          repoB.commit(appFiles(nameB, gitUrl, nameB, "2"), "version 2 during the outage");
          publish();
          await fleetB.push();
          record = await eventually(
            "the fetch failure in the status summary",
            async () => {
              const summary = await fleetB.summary();
              return summary.problems.generations.find((g) => g.appSet === APPSET && g.generatorError !== undefined);
            },
            OUTAGE_MS - 15_000,
          );
          const status = fleetB.flotillaStatus();
          expect(status.code).toBe(1);
          printed = status.stdout;
          expect(printed).toContain(APPSET);
          // The last good revision stays applied, as it was: same objects, same version, still Synced at it.
          expect(await syncedAt(fleetB, up, first)).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (performance.now() - downAt))));
          expect(await syncedAt(fleetB, up, first)).toBe(true);
          expect(await objectsOn(up, nameB)).toEqual(before);
        } finally {
          gitFront ??= await forwardTcp({
            port: gitPort,
            to: { host: "127.0.0.1", port: Number(new URL(gitServer.url).port) },
          });
        }
        const backAt = performance.now();
        const second = repoB.git("rev-parse", "HEAD").trim();
        await eventually(
          "the commit rolled out once Git was back",
          async () => ((await syncedAt(fleetB, up, second)) ? true : undefined),
          120_000,
        );
        const recovery = secondsSince(backAt);
        const after = await objectsOn(up, nameB);
        expect(uids(after)).toEqual(uids(before));
        expect(after.map((o) => o.versioned?.data?.version)).toEqual(up.map(() => "2"));
        await eventually("the fetch failure cleared from the summary", async () => {
          const summary = await fleetB.summary();
          return summary.problems.generations.some((g) => g.appSet === APPSET) ? undefined : true;
        });
        return {
          observed: `status showed "${record.generatorError?.replaceAll(gitUrl, "<fleet repo URL>").slice(0, 160)}"; ${up.length} clusters kept the last good revision, nothing deleted; the commit rolled out after Git returned`,
          recoverySeconds: recovery,
        };
      },
    );

  it("both at once: the healthy parts converge on time, the faulty ones after, nothing deleted", async () => {
    const outcomes = await Promise.allSettled([clusterOutage(), gitOutage()]);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((f) => f.reason),
        `${failed.length} outage(s) did not recover:\n${failed.map((f) => String(f.reason)).join("\n")}\nA:\n${fleetA.tail()}\nB:\n${fleetB.tail()}`,
      );
    }
  }, 420_000);
});
