import type { ClusterIndex } from "@flotilla/core";
import { JOB_DELETE, type WorkItem } from "@flotilla/queue";
import { generationRecordOf, type HoldDecision, type HoldRecord } from "@flotilla/store";
import type { CycleDeps } from "./cycle.ts";
import { storedClusters } from "./delete-routes.ts";
import { heldApplications } from "./hold-keeping.ts";
import type { GenerationRecord } from "./ports.ts";

export const REMOVED_REASON =
  "ApplicationSet removed from Git: its Applications are held and frozen (not re-applied) until an operator " +
  "releases the hold (they are deleted) or dismisses it (they are forgotten, their objects stay)";

export interface RemoveInput {
  appSet: string;
  commit: string;
  time: Date;
  /** Its Application names another ApplicationSet adopted in this cycle (a rename): forgotten, never deleted. */
  handedOver: ReadonlySet<string>;
  /** The operator's decision on its hold, if one waits. */
  decision?: HoldDecision;
  /** The registry, for the clusters its Applications are on. */
  clusters: ClusterIndex;
}

export interface RemoveOutcome {
  deletes: number;
  held: boolean;
}

/**
 * An ApplicationSet gone from Git. Nothing it generated is deleted on that evidence alone: a name another
 * ApplicationSet now generates for the same cluster is handed over (a rename), and the rest is held — visible,
 * frozen, releasable. A release deletes exactly the Applications it names; a dismiss forgets them and leaves their
 * objects on the clusters. Once nothing is left, the ApplicationSet is forgotten.
 */
export async function removeAppSet(deps: CycleDeps, input: RemoveInput): Promise<RemoveOutcome> {
  const { appSet, commit, decision, handedOver } = input;
  const state = deps.state;
  const log = deps.logger.child({ appset: appSet });
  const names = [...(await state.desiredDigests(appSet)).keys()];
  // Handed over in this cycle, or in an earlier one that stopped before forgetting them here: another owns them.
  const where = storedClusters(await state.destinations(appSet, names), input.clusters);
  const located = names.flatMap((application) => {
    const cluster = where.get(application);
    return cluster === undefined ? [] : [{ cluster, application }];
  });
  const owners = await state.owners.owners(located);
  const ownedElsewhere = new Set(
    located.filter((_, i) => owners[i] !== undefined && owners[i] !== appSet).map((n) => n.application),
  );
  const isHandedOver = (n: string) => handedOver.has(n) || ownedElsewhere.has(n);
  const handed = names.filter(isHandedOver);
  const decided = new Set(decision?.applications ?? []);
  const staying = names.filter((n) => !isHandedOver(n));
  const chosen = staying.filter((n) => decided.has(n));
  // A released Application whose cluster is unknown cannot be deleted: it stays held, in sight, not forgotten.
  const deleting = decision?.action === "release" ? chosen.filter((n) => where.has(n)) : [];
  const forgetting = decision?.action === "dismiss" ? chosen : [];
  const done = new Set([...deleting, ...forgetting]);
  const remaining = staying.filter((n) => !done.has(n));

  const clusters = where;
  const items: WorkItem[] = deleting.map((application) => ({
    kind: JOB_DELETE,
    job: { appSet, application, cluster: clusters.get(application)!, preserveResources: false, revision: commit },
  }));
  await deps.jobs.enqueue(items);

  const gone = [...handed, ...deleting, ...forgetting];
  const diff = {
    creates: [],
    updates: [],
    deletes: gone,
    unchanged: remaining,
    ...(remaining.length > 0 && { held: { deletes: remaining, reason: REMOVED_REASON } }),
  };
  const last = await state.lastRecord(appSet);
  const record: GenerationRecord = {
    ...generationRecordOf({
      appSet,
      commit,
      generation: { appSet, applications: [], errors: [] },
      diff,
      time: input.time,
    }),
    ...(last?.file !== undefined && { file: last.file }),
  };
  if (gone.length > 0 || last?.held?.reason !== REMOVED_REASON) await state.commit(appSet, diff, record);
  await state.owners.release(
    appSet,
    [...deleting, ...forgetting].flatMap((application) => {
      const cluster = clusters.get(application);
      return cluster === undefined ? [] : [{ cluster, application }];
    }),
  );

  if (remaining.length === 0) {
    await state.holds.clear(appSet);
    await state.holds.setDismissed(appSet, []);
    await state.sizes.reset(appSet);
    await state.forget(appSet);
  }
  let newlyHeld = false;
  if (remaining.length > 0) {
    const existing = await state.holds.get(appSet);
    newlyHeld = existing?.kind !== "removed";
    const hold: HoldRecord = {
      appSet,
      kind: "removed",
      reason: REMOVED_REASON,
      applications: await heldApplications(state, appSet, remaining, input.clusters),
      since: existing?.kind === "removed" ? existing.since : input.time.toISOString(),
      commit,
    };
    if (existing === undefined || JSON.stringify({ ...existing, commit }) !== JSON.stringify(hold)) {
      await state.holds.put(hold);
    }
  }
  if (decision !== undefined) await state.holds.settle(appSet, decision);
  const outcome = { deletes: deleting.length, held: remaining.length > 0 };
  if (gone.length > 0 || decision !== undefined || newlyHeld) {
    log.warn(
      { commit, handedOver: handed.length, deleted: deleting.length, forgotten: forgetting.length, ...outcome },
      "ApplicationSet removed from Git",
    );
  }
  return outcome;
}
