import { homedir } from "node:os";
import { join } from "node:path";
import type { RepoReader } from "@flotilla/core";
import { RepoCache } from "@flotilla/git";
import { createLogger } from "@flotilla/log";
import pino from "pino";

/**
 * The Git access behind git generators: a cache of bare mirrors kept between runs, so a second preview of the same
 * repository fetches instead of cloning. Its log (JSON, stderr) is quiet unless FLOTILLA_LOG_LEVEL asks: the preview reports Git failures itself.
 */
export function openRepos(options: { cacheDir: string | undefined; allowLocalRepos: boolean }): RepoReader {
  return new RepoCache({
    cacheDir: options.cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "flotilla", "repos"),
    // As in the services: a local path is read only when the operator says so (--allow-local-repos).
    allowLocalRepos: options.allowLocalRepos,
    logger: createLogger({
      name: "flotilla:git",
      level: process.env.FLOTILLA_LOG_LEVEL ?? "error",
      destination: pino.destination(2),
    }),
  });
}
