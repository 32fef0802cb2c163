import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_YAML_BYTES } from "@flotilla/core";
import { createLogger } from "@flotilla/log";
import type { Logger } from "pino";
import type { CredentialsResolver } from "./credentials.ts";

export interface RepoCacheOptions {
  /**
   * Where the bare mirrors live, one directory per repository named by a hash of its URL. One process per
   * directory: the locking that keeps fetches apart is in memory.
   * @defaultValue `<os tmpdir>/flotilla-git`
   */
  cacheDir: string;
  /** Kills a clone or fetch that takes longer; it then fails as unreachable. @defaultValue 60 000 ms */
  fetchTimeoutMs: number;
  /** Kills a local read (rev-parse, ls-tree, cat-file) that takes longer. @defaultValue 30 000 ms */
  commandTimeoutMs: number;
  /**
   * A repository is fetched at most this often unless a caller forces it (poll cycle, webhook), so a thousand
   * generators resolving the same branch in one cycle cause one fetch. A failed fetch is remembered for as long
   * and its error repeated, so an outage does not turn into a thousand timeouts. @defaultValue 60 000 ms
   */
  minFetchIntervalMs: number;
  /** Credentials per repository, from configuration. @defaultValue anonymous access everywhere */
  credentials: CredentialsResolver;
  /** @defaultValue `createLogger({ name: "flotilla:git" })` from `@flotilla/log` */
  logger: Logger;
  /** Larger files are refused with FileTooLargeError before being read. @defaultValue 8 MiB (core's YAML limit) */
  maxFileBytes: number;
  /** How many commit trees `listTree` keeps. @defaultValue 256 */
  treeCacheEntries: number;
  /** How many bytes of file content `readFile` keeps. @defaultValue 64 MiB */
  fileCacheBytes: number;
  /** Upper bound on git processes running at once for this cache. @defaultValue 8 */
  maxConcurrentProcesses: number;
  /** Run git without the host's system and global config. @defaultValue true */
  isolateGitConfig: boolean;
  /**
   * Whether local paths and file:// URLs may be read. Off, an ApplicationSet cannot make a service read a
   * repository on its own disk (another tenant's checkout, a mounted secret): only the operator turns it on
   * (FLOTILLA_ALLOW_LOCAL_REPOS=true), as the demo and the tests do. @defaultValue false
   */
  allowLocalRepos: boolean;
}

export function defaultRepoCacheOptions(): RepoCacheOptions {
  return {
    cacheDir: join(tmpdir(), "flotilla-git"),
    fetchTimeoutMs: 60_000,
    commandTimeoutMs: 30_000,
    minFetchIntervalMs: 60_000,
    credentials: () => undefined,
    logger: createLogger({ name: "flotilla:git" }),
    maxFileBytes: MAX_YAML_BYTES,
    treeCacheEntries: 256,
    fileCacheBytes: 64 * 1024 * 1024,
    maxConcurrentProcesses: 8,
    isolateGitConfig: true,
    allowLocalRepos: false,
  };
}

/** Options for one `resolveRevision` call. */
export interface ResolveOptions {
  /** Fetch now even if the repository was fetched within `minFetchIntervalMs` (poll cycle, push webhook). */
  refresh?: boolean;
}
