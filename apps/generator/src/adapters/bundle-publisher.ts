import type { Application } from "@flotilla/core";
import { isGitUnreachableError, type RepoCache } from "@flotilla/git";
import { isTransientRenderFailure, type Renderer } from "@flotilla/render";
import type { PreparedSource, SourceCycle, SourcePreparer } from "../sources.ts";
import { revisionOf } from "../sources.ts";
import type { WatchedRepo } from "../webhook/intake.ts";
import { repoKey } from "../webhook/repo-url.ts";

type Resolution = { commit: string } | { error: unknown };

/** What rendering an input at a commit came to; it cannot change, so it is kept across cycles. */
interface Rendered {
  /** Helm output depends on the release name and namespace too, so a Helm input is not shared by this key. */
  helm: boolean;
  outcome: PreparedSource;
}

interface Rendering extends Rendered {
  /** False for a transient failure: not an answer to keep. */
  remember: boolean;
}

/** Inputs remembered across cycles; the least recently used goes first. */
const MAX_REMEMBERED = 50_000;

/**
 * Prepares sources through the generator's own repository cache and a renderer whose cache is the fleet's shared
 * bundle store: a bundle is in Redis before any job names it.
 */
export class BundlePublisher implements SourcePreparer {
  readonly #repos: Pick<RepoCache, "resolveRevision" | "refresh">;
  readonly #renderer: Pick<Renderer, "render">;
  /** Pushed repositories (by `repoKey`) and when each push was announced (`performance.now()`). */
  readonly #refresh = new Map<string, number>();
  #refreshAll = false;
  readonly #rendered = new Map<string, Rendered>();
  readonly #rendering = new Map<string, Promise<Rendering>>();
  readonly #watched = new Map<string, WatchedRepo>();

  constructor(repos: Pick<RepoCache, "resolveRevision" | "refresh">, renderer: Pick<Renderer, "render">) {
    this.#repos = repos;
    this.#renderer = renderer;
  }

  /**
   * A push reached these repositories: the next cycle fetches them rather than trust a recent fetch, unless a fetch
   * started after the push was announced (the cycle's own fleet fetch, when the fleet is a source too).
   */
  refreshNext(repoURLs: Iterable<string>, now: number = performance.now()): void {
    for (const url of repoURLs) this.#refresh.set(repoKey(url), now);
  }

  /**
   * The next cycle fetches every repository it resolves: a new lease term cannot know which pushes it missed (a
   * webhook that came while no replica held the lease started no cycle, and a fetch within the cache's minimum
   * interval would otherwise be trusted).
   */
  refreshAllNext(): void {
    this.#refreshAll = true;
  }

  /**
   * Source revisions any cycle tracked, so their pushes start a cycle at once. It only grows: a cycle may cover a
   * few ApplicationSets, and a revision nobody tracks any more costs at most one needless cycle per push.
   */
  watched(): WatchedRepo[] {
    return [...this.#watched.values()];
  }

  cycle(): SourceCycle {
    const refresh = new Map(this.#refresh);
    const refreshAll = this.#refreshAll;
    this.#refresh.clear();
    this.#refreshAll = false;
    const fetched = new Map<string, Promise<void>>();
    const resolved = new Map<string, Promise<Resolution>>();

    const fetchOnce = (repoURL: string): Promise<void> => {
      const key = repoKey(repoURL);
      const pushedAt = refresh.get(key);
      if (!refreshAll && pushedAt === undefined) return Promise.resolve();
      let fetching = fetched.get(key);
      if (fetching === undefined) {
        // A failed fetch is not an answer: resolving reports it, with the cache's own error.
        const since = refreshAll ? undefined : pushedAt;
        fetching = this.#repos.refresh(repoURL, since === undefined ? {} : { since }).catch(() => undefined);
        fetched.set(key, fetching);
      }
      return fetching;
    };
    const resolveOnce = (repoURL: string, revision: string): Promise<Resolution> => {
      const key = `${repoURL}\0${revision}`;
      this.#watched.set(key, { repoURL, revision });
      let resolving = resolved.get(key);
      if (resolving === undefined) {
        resolving = fetchOnce(repoURL)
          .then(() => this.#repos.resolveRevision(repoURL, revision))
          .then(
            (commit) => ({ commit }),
            (error: unknown) => ({ error }),
          );
        resolved.set(key, resolving);
      }
      return resolving;
    };

    return {
      resolve: async (repoURL, revision) => {
        const r = await resolveOnce(repoURL, revision);
        return "commit" in r ? r.commit : undefined;
      },
      prepare: async (app: Application): Promise<PreparedSource> => {
        const { repoURL, revision } = revisionOf(app);
        const r = await resolveOnce(repoURL, revision);
        if ("error" in r) {
          const message = `cannot resolve ${revision} in ${repoURL}: ${messageOf(r.error)}`;
          if (isGitUnreachableError(r.error)) return { kind: "transient", message };
          return { kind: "ready", source: { failure: { step: "source", message } } };
        }
        return await this.#render(app, r.commit);
      },
    };
  }

  /**
   * Renders through the renderer (which shares bundles through the store) and remembers the outcome by input,
   * so that the next hundred thousand Applications of a cycle — and of the cycles after — that share it cost a
   * map lookup instead of a tree listing and a digest each. Applications of one input prepared at the same time
   * (every cluster's copy of one path, in a first generation) wait for the first one's render instead of each
   * rendering it too.
   */
  async #render(app: Application, commit: string): Promise<PreparedSource> {
    const key = inputKey(app, commit);
    const known = this.#rendered.get(key);
    if (known !== undefined && !known.helm) {
      this.#rendered.delete(key);
      this.#rendered.set(key, known);
      return known.outcome;
    }
    const inFlight = known === undefined ? this.#rendering.get(key) : undefined;
    const shared = inFlight === undefined ? undefined : await inFlight;
    if (shared?.remember === true && !shared.helm) return shared.outcome;
    const rendering = this.#renderInput(app, commit, known?.helm ?? shared?.helm ?? false);
    const first = !this.#rendering.has(key);
    if (first) this.#rendering.set(key, rendering);
    const done = await rendering;
    if (first) this.#rendering.delete(key);
    if (done.remember) {
      this.#rendered.set(key, { helm: done.helm, outcome: done.outcome });
      while (this.#rendered.size > MAX_REMEMBERED) this.#rendered.delete(this.#rendered.keys().next().value as string);
    }
    return done.outcome;
  }

  /** One render; a transient failure is not remembered, so the next cycle tries again. */
  async #renderInput(app: Application, commit: string, helm: boolean): Promise<Rendering> {
    try {
      const bundle = await this.#renderer.render(app, commit);
      const outcome: PreparedSource = { kind: "ready", source: { commit, bundle: bundle.digest } };
      return { helm: bundle.source.kind === "helm", outcome, remember: true };
    } catch (err) {
      const message = `render failed: ${messageOf(err)}`;
      if (isTransientRenderFailure(err)) return { helm, outcome: { kind: "transient", message }, remember: false };
      return {
        helm,
        outcome: { kind: "ready", source: { commit, failure: { step: "render", message } } },
        remember: true,
      };
    }
  }
}

/** What is rendered from: the same for every Application of one source at one commit (but for Helm's release). */
function inputKey(app: Application, commit: string): string {
  const { source } = app.spec;
  return [
    source.repoURL,
    commit,
    source.path ?? "",
    source.chart ?? "",
    JSON.stringify(source.directory),
    JSON.stringify(source.kustomize),
    JSON.stringify(source.helm),
  ].join("\0");
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
