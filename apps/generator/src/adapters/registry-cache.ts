import type { RegisteredCluster } from "@flotilla/store";

export interface RegistryReader {
  version(): Promise<number>;
  list(): Promise<RegisteredCluster[]>;
}

/** The registered clusters, re-read only when the registry moved on; `clear` forgets what was read. */
export interface CachedRegistry {
  clusters(): Promise<RegisteredCluster[]>;
  clear(): void;
}

/**
 * Reads the registry once per registry version rather than every cycle (a thousand records and their heartbeats
 * on every push). Every registration, relabel and removal bumps the version; heartbeats do not, and generation does
 * not read them. The version is read before the list, so a change between the two leaves a list newer than its
 * version, which the next read replaces. A wiped Redis counts versions from zero again, so the caller clears the
 * cache at every lease term and registry watch event, as it does the kept digests.
 */
export function cachedRegistry(registry: RegistryReader): CachedRegistry {
  let kept: { version: number; clusters: RegisteredCluster[] } | undefined;
  return {
    clusters: async () => {
      const version = await registry.version();
      if (kept?.version === version) return kept.clusters;
      const clusters = await registry.list();
      kept = { version, clusters };
      return clusters;
    },
    clear: () => {
      kept = undefined;
    },
  };
}
