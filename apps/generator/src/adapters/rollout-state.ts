import type { Observation } from "@flotilla/rollout";
import type { StatusStore } from "@flotilla/status";
import type { Fence, Store } from "@flotilla/store";
import type { ObservedRef, RolloutState } from "../ports.ts";

/** What the controller reads of the workers' status (the status package's StatusStore). */
export type StatusReader = Pick<StatusStore, "get">;

/** Rollouts in the Redis store; writes carry the lease's fence (see `storeState`). */
export function rolloutState(
  store: Store,
  options: { fenced: () => { fence: Fence }; status: StatusReader },
): RolloutState {
  const { fenced, status } = options;
  return {
    get: (appSet) => store.rollouts.get(appSet),
    appSets: async () => (await store.rollouts.list()).map((r) => r.appSet),
    start: (rollout, staged) => store.rollouts.start(rollout, staged, fenced()),
    put: (rollout) => store.rollouts.put(rollout, fenced()),
    clear: (appSet) => store.rollouts.clear(appSet, fenced()),
    staged: (appSet, names) => store.rollouts.staged(appSet, names),
    request: (appSet) => store.rollouts.request(appSet),
    settle: (appSet, request) => store.rollouts.settle(appSet, request, fenced()),
    observe: async (appSet, refs) => {
      const out = new Map<string, Observation>();
      await Promise.all(
        refs.map(async (ref) => out.set(ref.application, await observeOne(store, status, appSet, ref))),
      );
      return out;
    },
    labels: async (appSet, names) => {
      const apps = await store.applications.getMany(appSet, names);
      const out = new Map<string, Record<string, string>>();
      apps.forEach((app, i) => {
        if (app !== undefined) out.set(names[i]!, app.metadata.labels ?? {});
      });
      return out;
    },
  };
}

async function observeOne(store: Store, status: StatusReader, appSet: string, ref: ObservedRef): Promise<Observation> {
  const key = { cluster: ref.cluster, appSet, application: ref.application };
  const [current, pending] = await Promise.all([
    status.get(key),
    ref.change === "delete" ? store.pendingDeletions.get(key) : undefined,
  ]);
  const seen: Observation = {};
  if (current !== undefined) {
    seen.status = {
      sync: current.sync,
      health: current.health,
      ...(current.desiredDigest !== undefined && { desiredDigest: current.desiredDigest }),
      ...(current.healthMessage !== undefined && { healthMessage: current.healthMessage }),
      ...(current.lastError !== undefined && {
        error: { message: current.lastError.message, retrying: current.lastError.retrying },
      }),
    };
  }
  if (pending !== undefined) seen.deletionFailed = pending.lastError;
  return seen;
}
