import { randomBytes } from "node:crypto";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import type { FleetSummary } from "@flotilla/status";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configMapPath, type LiveObject, liveObject, secondsSince } from "./cluster-objects.ts";
import { appSetYaml, configMapYaml } from "./fixtures.ts";
import { FaultFleet } from "./fleet.ts";
import { type HostileCase, type HostileContext, hostileCases, VICTIM, victimFiles } from "./hostile-cases.ts";
import { recordFault } from "./report/record.ts";

const STEADY = "steady";

/** Every problem the summary shows for the victim, one line each, as `flotilla status` lists them. */
function victimProblems(summary: FleetSummary): string[] {
  const generations = summary.problems.generations.flatMap((g) => [
    ...(g.generatorError === undefined ? [] : [`generation: ${g.generatorError}`]),
    ...g.errors.map(
      (e) =>
        `element ${e.element}${e.source === undefined ? "" : ` (${e.source})`}: ${e.field === undefined || e.message.startsWith(e.field) ? "" : `${e.field}: `}${e.message}`,
    ),
  ]);
  const applications = summary.problems.applications.items
    .filter((a) => a.appSet === VICTIM)
    .map((a) => `${a.application}: ${a.message ?? `${a.sync}/${a.health}`}`);
  return [...generations, ...applications];
}

/**
 * The hostile corpus pushed through a running fleet as commits, one after another, each followed by the fixing
 * commit: every one gives a clear error on the victim ApplicationSet, and the steady ApplicationSet beside it (same
 * repository, same clusters) stays applied and Healthy, its objects untouched.
 */
describeWithClusters("fault: the hostile-input corpus pushed as commits", (clusters) => {
  const targets = clusters.slice(0, 2);
  const name = `faults-hostile-${randomBytes(3).toString("hex")}`;
  const repo = new TestGitRepo();
  const ctx: HostileContext = { fleet: name, repo: repo.dir, namespace: name };
  const steadyNamespace = `${name}-steady`;
  let fleet: FaultFleet;
  let steadyBefore: (LiveObject | undefined)[];
  let victimBefore: (LiveObject | undefined)[];

  const healthy = () => ({
    [`appsets/${STEADY}.yaml`]: appSetYaml({
      name: STEADY,
      fleet: name,
      repo: repo.dir,
      path: "apps/steady",
      namespace: steadyNamespace,
    }),
    "apps/steady/keeper.yaml": configMapYaml("keeper", { kept: "yes" }),
    ...victimFiles(ctx),
  });
  const allWell = async (appSet: string) => {
    const s = await Promise.all(targets.map((c) => fleet.appStatus(c.name, appSet, `${appSet}-${c.name}`)));
    return s.every((x) => x?.sync === "Synced" && x.health === "Healthy" && x.lastError === undefined);
  };
  const objects = (namespace: string, cm: string) =>
    Promise.all(targets.map((c) => liveObject(c, configMapPath(namespace, cm))));
  const victimClean = async () => {
    const summary = await fleet.summary(`?appset=${VICTIM}`);
    return victimProblems(summary).length === 0 && (await allWell(VICTIM)) ? true : undefined;
  };

  beforeAll(async () => {
    repo.commit(healthy(), "steady and victim");
    fleet = await FaultFleet.start({
      name,
      redisUrl: testbedRedis().url,
      clusters: targets,
      fleetRepo: repo.dir,
      api: true,
    });
    await fleet.push();
    await eventually(
      "both ApplicationSets Synced and Healthy",
      async () => ((await allWell(STEADY)) && (await allWell(VICTIM)) ? true : undefined),
      120_000,
    );
    steadyBefore = await objects(steadyNamespace, "keeper");
    victimBefore = await objects(name, "victim");
  }, 180_000);

  afterAll(async () => {
    await fleet?.close();
    repo.remove();
  });

  const commitCase = (c: HostileCase) => {
    repo.commit({ ...healthy(), ...c.files(ctx) }, `hostile: ${c.id}`);
    if (c.symlink !== undefined) {
      symlinkSync(c.symlink.target, join(repo.dir, c.symlink.path));
      repo.git("add", "-A");
      repo.git("commit", "--quiet", "--amend", "--no-edit");
    }
  };

  hostileCases.forEach((c, i) => {
    it(`${c.id}: a clear error on the victim, nothing else touched`, async () => {
      await recordFault(
        {
          id: `hostile-${c.id}`,
          order: 6 + i / 100,
          fault: `hostile commit: ${c.title}`,
          expected: "a clear error (file, line, field) on that ApplicationSet; the other stays applied and Healthy",
        },
        async () => {
          commitCase(c);
          const pushedAt = performance.now();
          await fleet.push();
          let seen: string[] = [];
          const shown = await eventually(
            "the error on the victim",
            async () => {
              seen = victimProblems(await fleet.summary(`?appset=${VICTIM}`));
              const text = seen.join("\n");
              return c.expect.every((re) => re.test(text)) ? seen : undefined;
            },
            60_000,
          ).catch((error: unknown) => {
            throw new Error(`${String(error)}; the victim's problems were:\n${seen.join("\n")}`);
          });
          const errorAfter = secondsSince(pushedAt);
          // Nothing else touched: the steady ApplicationSet's objects are the same ones, Synced and Healthy, and
          // the victim's objects from before stay on the clusters.
          expect(await allWell(STEADY)).toBe(true);
          expect(await objects(steadyNamespace, "keeper")).toEqual(steadyBefore);
          expect((await objects(name, "victim")).map((o) => o?.uid)).toEqual(victimBefore.map((o) => o?.uid));
          const steadyProblems = await fleet.summary(`?appset=${STEADY}`);
          expect(steadyProblems.problems.generations).toEqual([]);
          expect(steadyProblems.problems.applications.count).toBe(0);

          repo.commit(healthy(), `fix: ${c.id}`);
          const fixedAt = performance.now();
          await fleet.push();
          await eventually("the victim clean again after the fix", victimClean, 60_000);
          return {
            // The repository's temp path says nothing to a reader of the table.
            observed: `error shown after ${errorAfter.toFixed(1)} s: ${shown[0]!.replaceAll(repo.dir, "<fleet repo>").slice(0, 320)}; steady untouched, fixed by the next commit`,
            recoverySeconds: secondsSince(fixedAt),
          };
        },
      );
    }, 180_000);
  });
});
