import type { DestinationRef } from "@flotilla/core";
import type { Fence, Store } from "@flotilla/store";
import type { GenerationRecord, GeneratorState } from "../ports.ts";

/** Raised instead of writing when this replica does not hold the generator lease. */
export class NotLeaderError extends Error {
  override readonly name = "NotLeaderError";
  constructor() {
    super("this generator replica does not hold the lease; it writes nothing");
  }
}

/**
 * The generator's state in the Redis store. Every write carries the lease's fence, so a replica that lost its
 * lease (even one frozen mid-cycle) has its writes refused atomically by Redis.
 */
export function storeState(store: Store, fence: () => Fence | undefined): GeneratorState {
  const fenced = () => {
    const f = fence();
    if (f === undefined) throw new NotLeaderError();
    return { fence: f };
  };
  return {
    appSetNames: async () => (await store.generations.listGenerations()).map((r) => r.appSet),
    desiredDigests: (appSet) => store.applications.desiredDigests(appSet),
    destinations: async (appSet, names) => {
      const apps = await store.applications.getMany(appSet, names);
      const out = new Map<string, DestinationRef>();
      apps.forEach((app, i) => {
        if (app !== undefined) out.set(names[i]!, app.spec.destination);
      });
      return out;
    },
    lastRecord: (appSet) => store.generations.getGeneration(appSet) as Promise<GenerationRecord | undefined>,
    commit: async (appSet, diff, record, sources) => {
      const options = fenced();
      await store.applications.commit(appSet, diff, { ...options, ...(sources !== undefined && { sources }) });
      await store.generations.record(record, options);
    },
    record: (record) => store.generations.record(record, fenced()),
    recordSource: (source) => store.appSetSources.put(source, fenced()),
    forget: async (appSet) => {
      await store.generations.remove(appSet, fenced());
      await store.appSetSources.remove(appSet, fenced());
    },
    holds: {
      get: (appSet) => store.holds.get(appSet),
      put: (record) => store.holds.put(record, fenced()),
      clear: (appSet) => store.holds.clear(appSet, fenced()),
      decisions: () => store.holds.decisions(),
      settle: (appSet, decision) => store.holds.settle(appSet, decision, fenced()),
      dismissed: (appSet) => store.holds.dismissed(appSet),
      setDismissed: (appSet, names) => store.holds.setDismissed(appSet, names, fenced()),
    },
    owners: {
      claim: (appSet, names, adoptable) => store.owners.claim(appSet, names, { ...fenced(), adoptable }),
      release: async (appSet, names) => {
        await store.owners.release(appSet, names, fenced());
      },
      owners: (names) => store.owners.owners(names),
    },
    sizes: {
      largestSince: (appSet, since) => store.generationSizes.largestSince(appSet, since),
      record: (appSet, size, at, windowMs) => store.generationSizes.record(appSet, size, at, windowMs, fenced()),
      reset: (appSet) => store.generationSizes.reset(appSet, fenced()),
    },
  };
}
