import type { RepoReader, RepoTree } from "@flotilla/core";
import type { Logger } from "pino";
import { FileNotFoundError, FileTooLargeError, InvalidGitArgumentError, UnknownRevisionError } from "./errors.ts";
import { createGitRunner, type GitRunner } from "./git-process.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { LruCache } from "./lru.ts";
import { type TreeEntry, toRepoTree } from "./ls-tree.ts";
import { Mirror } from "./mirror.ts";
import { defaultRepoCacheOptions, type RepoCacheOptions, type ResolveOptions } from "./options.ts";
import { parseRepoURL } from "./repo-url.ts";
import { isFullCommitId, normalizeRepoPath, validateCommit, validateRevision } from "./validate.ts";

/** Counters for metrics and tests. */
export interface RepoCacheStats {
  fetches: number;
  fetchFailures: number;
  /** Git processes started, fetches and local reads alike. */
  processes: number;
}

/** One commit's tree, listed once: the paths for generators, the entries (object id, size) for reads. */
interface Listing {
  tree: RepoTree;
  entries: ReadonlyMap<string, TreeEntry>;
}

interface RepoState {
  mirror: Mirror;
  log: Logger;
  /**
   * When the latest fetch started (`performance.now()`): a forced request is satisfied by any fetch that started
   * after it was made.
   */
  lastFetchAt: number | undefined;
  lastFailure: Error | undefined;
}

/**
 * The repository cache behind every Git read: one bare mirror per repository, fetched under a per-repository
 * lock and at most once per `minFetchIntervalMs` unless forced. Reads at a commit need no lock — git objects
 * are immutable and a fetch only adds them. A commit's tree is listed once (one git process) and file contents are
 * cached by blob id, so reading a file at a new commit that did not change it starts no process at all: a push that
 * changes one file of a hundred apps re-reads one blob, not a hundred (each read used to be two processes), and
 * blobs asked for together are read by one `git cat-file --batch`.
 */
export class RepoCache implements RepoReader {
  readonly #options: RepoCacheOptions;
  readonly #git: GitRunner;
  readonly #repos = new Map<string, RepoState>();
  readonly #fetchLock = new KeyedMutex();
  readonly #trees: LruCache<Promise<Listing>>;
  readonly #files: LruCache<string>;
  readonly #knownCommits = new LruCache<true>(16_384);
  readonly #stats: RepoCacheStats = { fetches: 0, fetchFailures: 0, processes: 0 };

  constructor(options: Partial<RepoCacheOptions> = {}) {
    this.#options = { ...defaultRepoCacheOptions(), ...options };
    this.#git = createGitRunner({
      maxConcurrentProcesses: this.#options.maxConcurrentProcesses,
      isolateConfig: this.#options.isolateGitConfig,
      onProcess: () => this.#stats.processes++,
    });
    this.#trees = new LruCache(this.#options.treeCacheEntries);
    this.#files = new LruCache(this.#options.fileCacheBytes, (content) => content.length);
  }

  stats(): RepoCacheStats {
    return { ...this.#stats };
  }

  /**
   * Resolves a branch, tag, "HEAD", full ref or (short) commit id to a full commit id. Fetches first, unless
   * the repository was fetched within `minFetchIntervalMs` (pass `refresh` to force) or the revision is a full
   * commit id already in the mirror.
   */
  async resolveRevision(repoURL: string, revision: string, options: ResolveOptions = {}): Promise<string> {
    const state = this.#stateFor(repoURL);
    validateRevision(revision);
    if (isFullCommitId(revision) && (await this.#isKnownCommit(state, revision))) return revision;
    await this.#fetch(state, options.refresh === true);
    const commit = await state.mirror.resolve(revision);
    this.#knownCommits.set(`${state.mirror.location.key}@${commit}`, true);
    return commit;
  }

  /**
   * Fetches now (push webhook, poll cycle); concurrent calls share one fetch. With `since` (a `performance.now()`
   * reading, e.g. when a push was announced), a fetch that started after that moment already has what was asked
   * for, so none starts: a push to a repository that is both the fleet and a source is fetched once per cycle.
   */
  async refresh(repoURL: string, options: { since?: number } = {}): Promise<void> {
    await this.#fetch(this.#stateFor(repoURL), true, options.since);
  }

  async listTree(repoURL: string, commit: string): Promise<RepoTree> {
    const state = this.#stateFor(repoURL);
    validateCommit(commit);
    return (await this.#listing(state, commit)).tree;
  }

  #listing(state: RepoState, commit: string): Promise<Listing> {
    const key = `${state.mirror.location.key}@${commit}`;
    const cached = this.#trees.get(key);
    if (cached) return cached;
    const loading = this.#ensureCommit(state, commit).then(async () => {
      const entries = await state.mirror.tree(commit);
      return { tree: toRepoTree(entries), entries: new Map(entries.map((e) => [e.path, e])) };
    });
    this.#trees.set(key, loading);
    loading.catch(() => this.#trees.delete(key));
    return loading;
  }

  async readFile(repoURL: string, commit: string, path: string): Promise<string> {
    const state = this.#stateFor(repoURL);
    validateCommit(commit);
    const file = normalizeRepoPath(path);
    const display = state.mirror.location.display;
    const entry = (await this.#listing(state, commit)).entries.get(file);
    if (!entry) throw new FileNotFoundError(display, commit, file);
    if (entry.type !== "blob") {
      throw new FileNotFoundError(display, commit, file, entry.type === "tree" ? "is a directory" : "is a submodule");
    }
    const limit = this.#options.maxFileBytes;
    if (entry.size !== undefined && entry.size > limit) {
      throw new FileTooLargeError(display, commit, file, entry.size, limit);
    }
    // Blob ids name contents: the same id is the same bytes at every commit and path.
    const key = `${state.mirror.location.key}#${entry.object}`;
    const cached = this.#files.get(key);
    if (cached !== undefined) return cached;
    const content = await state.mirror.readBlob(entry.object);
    this.#files.set(key, content);
    return content;
  }

  #stateFor(repoURL: string): RepoState {
    const location = parseRepoURL(repoURL);
    if (location.transport === "file" && !this.#options.allowLocalRepos) {
      throw new InvalidGitArgumentError(
        "repoURL",
        `${location.display} is a local repository; local paths and file:// URLs are read only when the operator allows them (FLOTILLA_ALLOW_LOCAL_REPOS=true); use a remote URL`,
      );
    }
    let state = this.#repos.get(location.key);
    if (!state) {
      const mirror = new Mirror(location, {
        git: this.#git,
        cacheDir: this.#options.cacheDir,
        credentials: this.#options.credentials,
        fetchTimeoutMs: this.#options.fetchTimeoutMs,
        commandTimeoutMs: this.#options.commandTimeoutMs,
      });
      const log = this.#options.logger.child({ repo: location.display });
      state = { mirror, log, lastFetchAt: undefined, lastFailure: undefined };
      this.#repos.set(location.key, state);
    }
    return state;
  }

  async #fetch(state: RepoState, force: boolean, since?: number): Promise<void> {
    // What was asked for is in any fetch that started after this moment: the call, or an earlier announcement.
    const requestedAt = since ?? performance.now();
    await this.#fetchLock.run(state.mirror.location.key, async () => {
      const now = performance.now();
      const coveredByLaterFetch = force && state.lastFetchAt !== undefined && state.lastFetchAt > requestedAt;
      const recent =
        !force && state.lastFetchAt !== undefined && now - state.lastFetchAt < this.#options.minFetchIntervalMs;
      if (coveredByLaterFetch || recent) {
        if (state.lastFailure) throw state.lastFailure;
        return;
      }
      state.lastFetchAt = now;
      this.#stats.fetches++;
      const cloning = !state.mirror.exists();
      try {
        await state.mirror.fetch();
        state.lastFailure = undefined;
        state.log.info({ ms: Math.round(performance.now() - now), cloned: cloning }, "git fetch done");
      } catch (err) {
        this.#stats.fetchFailures++;
        state.lastFailure = err instanceof Error ? err : new Error(String(err));
        state.log.warn({ err: state.lastFailure.message, errorType: state.lastFailure.name }, "git fetch failed");
        throw err;
      }
    });
  }

  async #isKnownCommit(state: RepoState, commit: string): Promise<boolean> {
    const key = `${state.mirror.location.key}@${commit}`;
    if (this.#knownCommits.get(key)) return true;
    if (!state.mirror.exists() || !(await state.mirror.hasCommit(commit))) return false;
    this.#knownCommits.set(key, true);
    return true;
  }

  /** A commit read before its mirror has it (pushed since the last fetch) triggers one fetch, then must exist. */
  async #ensureCommit(state: RepoState, commit: string): Promise<void> {
    if (await this.#isKnownCommit(state, commit)) return;
    await this.#fetch(state, false);
    if (!(await this.#isKnownCommit(state, commit))) {
      throw new UnknownRevisionError(state.mirror.location.display, commit);
    }
  }
}
