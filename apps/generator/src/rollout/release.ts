import type { Application, ApplicationChange } from "@flotilla/core";
import { JOB_DELETE, JOB_SYNC, type SyncSource, type WorkItem } from "@flotilla/queue";
import type { Release, Rollout } from "@flotilla/rollout";
import type { RolloutDeps } from "./deps.ts";

/**
 * Puts released changes in force, as a generation without a rollout would: jobs first, then the store (a crash in
 * between re-enqueues, which coalesces, rather than loses), then the names of deleted Applications are released.
 * Releasing a change twice is harmless: the same desired state is written and enqueued again.
 */
export async function releaseChanges(deps: RolloutDeps, rollout: Rollout, release: Release): Promise<void> {
  const { appSet } = rollout;
  const names = [...release.updates, ...release.deletes];
  if (names.length === 0) return;
  const staged = await deps.state.rollouts.staged(appSet, names);
  const work: WorkItem[] = [];
  const upserts: ApplicationChange[] = [];
  const sources = new Map<string, SyncSource>();
  const deleted: { cluster: string; application: string }[] = [];
  staged.forEach((change, i) => {
    if (change === undefined) {
      deps.logger.error(
        { appset: appSet, app: names[i] },
        "a released change is not staged; it waits for the next generation",
      );
      return;
    }
    if (change.change === "update") {
      const app: Application = change.application;
      const cluster = app.spec.destination.cluster ?? "";
      const source = change.source as SyncSource | undefined;
      if (source !== undefined) sources.set(app.metadata.name, source);
      upserts.push({ application: app, desiredDigest: change.desiredDigest });
      work.push({
        kind: JOB_SYNC,
        job: {
          appSet,
          application: app.metadata.name,
          cluster,
          desiredDigest: change.desiredDigest,
          revision: rollout.commit,
          app,
          ...(source !== undefined && { source }),
          ...(change.adoptFrom !== undefined && { adoptFrom: change.adoptFrom }),
        },
      });
    } else {
      deleted.push({ cluster: change.cluster, application: change.application });
      work.push({
        kind: JOB_DELETE,
        job: {
          appSet,
          application: change.application,
          cluster: change.cluster,
          preserveResources: change.preserveResources,
          revision: rollout.commit,
        },
      });
    }
  });
  await deps.jobs.enqueue(work);
  await deps.state.applyReleased(
    appSet,
    { creates: [], updates: upserts, deletes: deleted.map((d) => d.application), unchanged: [] },
    sources,
  );
  if (deleted.length > 0) await deps.state.owners.release(appSet, deleted);
}
