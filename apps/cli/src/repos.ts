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
export function openRepos(cacheDir: string | undefined): RepoReader {
  return new RepoCache({
    cacheDir: cacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "flotilla", "repos"),
    logger: createLogger({
      name: "flotilla:git",
      level: process.env.FLOTILLA_LOG_LEVEL ?? "error",
      destination: pino.destination(2),
    }),
  });
}
