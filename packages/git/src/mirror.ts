import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { BlobBatcher } from "./blob-batch.ts";
import { classifyGitFailure, summarizeStderr } from "./classify.ts";
import { type CredentialsResolver, type GitAuth, gitAuthFor } from "./credentials.ts";
import { GitAuthError, GitCommandError, GitUnreachableError, UnknownRevisionError } from "./errors.ts";
import { GitProcessFailure, type GitRunner } from "./git-process.ts";
import { parseLsTree, type TreeEntry } from "./ls-tree.ts";
import { scrubSecrets } from "./redact.ts";
import { readBranch } from "./refs.ts";
import type { RepoLocation } from "./repo-url.ts";

export interface MirrorSettings {
  git: GitRunner;
  cacheDir: string;
  credentials: CredentialsResolver;
  fetchTimeoutMs: number;
  commandTimeoutMs: number;
}

const SYMREF = /^ref: (refs\/heads\/[^\s]+)\tHEAD$/m;
const DETACHED = /^([0-9a-f]{40,64})\tHEAD$/m;
const COMMIT_ID = /^[0-9a-f]{40,64}$/;

/**
 * One bare mirror of one repository, holding branches and tags only. Knows how to run git against it and
 * turns every failure into a typed error. It does no locking: RepoCache serializes `fetch` per repository.
 */
export class Mirror {
  readonly location: RepoLocation;
  readonly dir: string;
  readonly #settings: MirrorSettings;
  readonly #blobs: BlobBatcher;
  /** Whether HEAD was set from the remote's since the last fetch; a mirror found on disk has not been asked yet. */
  #headFollowed = false;

  constructor(location: RepoLocation, settings: MirrorSettings) {
    this.location = location;
    this.#settings = settings;
    this.dir = join(settings.cacheDir, location.key);
    this.#blobs = new BlobBatcher((objects) =>
      settings.git.runWithInput(
        { cwd: this.dir, args: ["cat-file", "--batch"], timeoutMs: settings.commandTimeoutMs },
        objects.map((o) => `${o}\n`).join(""),
      ),
    );
  }

  /** A mirror directory only appears (by rename) once its first fetch succeeded, so existing means usable. */
  exists(): boolean {
    return existsSync(this.dir);
  }

  /** Clones on first use, fetches afterwards. A failed fetch leaves the mirror as it was. */
  async fetch(): Promise<void> {
    const auth = gitAuthFor(this.location, this.#settings.credentials(this.location));
    if (this.exists()) {
      await this.#fetchInto(this.dir, auth);
      return;
    }
    await mkdir(this.#settings.cacheDir, { recursive: true });
    const staging = join(this.#settings.cacheDir, `.staging-${this.location.key}-${randomUUID()}`);
    try {
      await this.#local(this.#settings.cacheDir, ["init", "--bare", "--quiet", staging]);
      await this.#local(staging, ["config", "remote.origin.url", this.location.fetchURL]);
      await this.#local(staging, ["config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*"]);
      await this.#local(staging, ["config", "--add", "remote.origin.fetch", "+refs/tags/*:refs/tags/*"]);
      await this.#fetchInto(staging, auth);
      await rename(staging, this.dir);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async #fetchInto(dir: string, auth: GitAuth): Promise<void> {
    await this.#remote(dir, ["fetch", "--atomic", "--prune", "--quiet", "--no-write-fetch-head", "origin"], auth);
    this.#headFollowed = false;
  }

  /**
   * Fetching refs/heads/* does not say which branch the remote calls HEAD; ask, so "HEAD" follows it. Asked only
   * when "HEAD" is resolved after a fetch, not at every fetch: most sources name their branch, and the question is
   * a round trip to the remote and up to two git processes on every push.
   */
  async #followRemoteHead(): Promise<void> {
    const auth = gitAuthFor(this.location, this.#settings.credentials(this.location));
    const heads = await this.#remote(this.dir, ["ls-remote", "--symref", "origin", "HEAD"], auth);
    const symref = SYMREF.exec(heads)?.[1];
    const detached = DETACHED.exec(heads)?.[1];
    // Written only when it changed (the HEAD file is read, not a process started): it rarely does.
    const current = (await readFile(join(this.dir, "HEAD"), "utf8").catch(() => "")).trim();
    if (symref !== undefined) {
      if (current !== `ref: ${symref}`) await this.#local(this.dir, ["symbolic-ref", "HEAD", symref]);
    } else if (detached !== undefined && current !== detached) {
      await this.#local(this.dir, ["update-ref", "--no-deref", "HEAD", detached]);
    }
    this.#headFollowed = true;
  }

  /** Resolves a validated revision to a full commit id, or throws UnknownRevisionError. */
  async resolve(revision: string): Promise<string> {
    if (revision === "HEAD" && !this.#headFollowed) await this.#followRemoteHead();
    const branch = await readBranch(this.dir, revision);
    if (branch !== undefined) return branch;
    const out = await this.#local(this.dir, ["rev-parse", "--verify", "--end-of-options", `${revision}^{commit}`], {
      revision,
    });
    const commit = out.trim();
    if (!COMMIT_ID.test(commit)) throw new UnknownRevisionError(this.location.display, revision);
    return commit;
  }

  async hasCommit(commit: string): Promise<boolean> {
    try {
      await this.#local(this.dir, ["cat-file", "-e", `${commit}^{commit}`], { revision: commit });
      return true;
    } catch (err) {
      if (err instanceof UnknownRevisionError || err instanceof GitCommandError) return false;
      throw err;
    }
  }

  /** Every entry at `commit`, blobs with their sizes. */
  async tree(commit: string): Promise<TreeEntry[]> {
    const out = await this.#local(this.dir, ["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", commit], {
      revision: commit,
    });
    return parseLsTree(out);
  }

  async readBlob(object: string): Promise<string> {
    // Whatever the batch cannot answer (its process failed, the object is missing) is asked the one-shot way,
    // whose error is the typed one callers expect.
    const content = await this.#blobs.read(object).catch(() => undefined);
    if (content !== undefined) return content.toString("utf8");
    return this.#local(this.dir, ["cat-file", "blob", object]);
  }

  async #remote(cwd: string, args: string[], auth: GitAuth): Promise<string> {
    try {
      return await this.#settings.git.run({ cwd, args, env: auth.env, timeoutMs: this.#settings.fetchTimeoutMs });
    } catch (err) {
      if (!(err instanceof GitProcessFailure)) throw err;
      const detail = scrubSecrets(summarizeStderr(err.stderr), auth.secrets);
      if (err.timedOut) throw new GitUnreachableError(this.location.display, `git ${args[0]} ${detail}`);
      if (classifyGitFailure(err.stderr) === "auth") throw new GitAuthError(this.location.display, detail);
      // Any other failure to talk to the remote means the same to a caller: Git cannot be read right now.
      throw new GitUnreachableError(this.location.display, detail);
    }
  }

  async #local(cwd: string, args: string[], context: { revision?: string } = {}): Promise<string> {
    try {
      return await this.#settings.git.run({ cwd, args, timeoutMs: this.#settings.commandTimeoutMs });
    } catch (err) {
      if (!(err instanceof GitProcessFailure)) throw err;
      const detail = scrubSecrets(summarizeStderr(err.stderr));
      const command = args.find((a) => !a.startsWith("-")) ?? "git";
      if (err.timedOut) throw new GitCommandError(this.location.display, command, detail);
      if (context.revision !== undefined && classifyGitFailure(err.stderr) === "unknown-revision") {
        throw new UnknownRevisionError(this.location.display, context.revision);
      }
      throw new GitCommandError(this.location.display, command, detail);
    }
  }
}
