import type { RepoReader } from "@flotilla/core";

/** The Git access behind git generators. */
export async function openRepos(_cacheDir: string | undefined): Promise<RepoReader> {
  const unavailable = async (): Promise<never> => {
    throw new Error("git generators are not wired into the CLI yet");
  };
  return { resolveRevision: unavailable, listTree: unavailable, readFile: unavailable };
}
