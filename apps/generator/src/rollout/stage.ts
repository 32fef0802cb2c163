import type { RollingSyncStep } from "@flotilla/core";
import { JOB_DELETE, JOB_SYNC, type WorkItem } from "@flotilla/queue";
import { type ChangedApp, carriesChangeSet, planRollout, type Rollout } from "@flotilla/rollout";
import type { StagedChange } from "@flotilla/store";
import type { RolloutDeps } from "./deps.ts";

export interface StageInput {
  appSet: string;
  commit: string;
  steps: readonly RollingSyncStep[];
  /** What the generation would hand the workers at once without a rollout: its syncs and deletes. */
  work: readonly WorkItem[];
  /** Application name → desired digest in force (stored). */
  inForce: ReadonlyMap<string, string>;
  time: Date;
}

/**
 * Holds a RollingSync generation's changes back as a rollout instead of handing them to the workers: the store
 * keeps the state in force, so every path that hands a worker a desired state (a job, the periodic re-sync, a
 * sync request, an agent's handover) keeps reconciling the previous one until the Application's step starts.
 * The same change set keeps its rollout going; a different one (a newer commit) supersedes it from step 1.
 */
export async function stageRollout(deps: RolloutDeps, input: StageInput): Promise<Rollout | undefined> {
  const { appSet } = input;
  const log = deps.logger.child({ appset: appSet });
  const updates: ChangedApp[] = [];
  const deleteNames: string[] = [];
  const staged: StagedChange[] = [];
  for (const item of input.work) {
    if (item.kind === JOB_SYNC) {
      const { job } = item;
      updates.push({
        application: job.application,
        cluster: job.cluster,
        labels: job.app?.metadata.labels ?? {},
        desiredDigest: job.desiredDigest,
      });
      if (job.app === undefined) continue;
      staged.push({
        change: "update",
        application: job.app,
        desiredDigest: job.desiredDigest,
        ...(job.source !== undefined && { source: job.source }),
        ...(job.adoptFrom !== undefined && { adoptFrom: job.adoptFrom }),
      });
    } else if (item.kind === JOB_DELETE) {
      deleteNames.push(item.job.application);
      staged.push({
        change: "delete",
        application: item.job.application,
        cluster: item.job.cluster,
        preserveResources: item.job.preserveResources,
      });
    }
  }
  const labels = await deps.state.rollouts.labels(appSet, deleteNames);
  const deletes: ChangedApp[] = input.work.flatMap((item) =>
    item.kind === JOB_DELETE
      ? [
          {
            application: item.job.application,
            cluster: item.job.cluster,
            labels: labels.get(item.job.application) ?? {},
          },
        ]
      : [],
  );
  const current = await deps.state.rollouts.get(appSet);
  if (current !== undefined && carriesChangeSet(current, { updates, deletes }, input.inForce)) return current;
  // Nothing to roll out and nothing rolling out: no record to keep.
  if (current === undefined && updates.length === 0 && deletes.length === 0) return undefined;
  const rollout = planRollout({
    id: `${input.commit.slice(0, 12)}-${input.time.getTime().toString(36)}`,
    appSet,
    commit: input.commit,
    steps: input.steps,
    updates,
    deletes,
    now: input.time,
  });
  await deps.state.rollouts.start(rollout, staged);
  log.info(
    {
      commit: input.commit,
      rollout: rollout.id,
      supersedes: current?.id,
      updates: updates.length,
      deletes: deletes.length,
      steps: rollout.steps.length,
    },
    current === undefined ? "rollout started" : "rollout superseded by a newer change set; starting again at step 1",
  );
  return rollout;
}
