import type { RepoCache } from "@flotilla/git";
import type { FleetRepo } from "../ports.ts";

/** The fleet repository through the shared repository cache; every cycle fetches (the poll is the fetch). */
export function gitFleetRepo(cache: RepoCache, repoURL: string, revision: string): FleetRepo {
  return {
    resolve: () => cache.resolveRevision(repoURL, revision, { refresh: true }),
    listFiles: async (commit) => (await cache.listTree(repoURL, commit)).files,
    readFile: (commit, path) => cache.readFile(repoURL, commit, path),
  };
}
