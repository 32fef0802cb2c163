import { tmpdir } from "node:os";
import type { Application, ApplicationSource, RepoReader, RepoTree } from "@flotilla/core";
import {
  type Bundle,
  canonicalize,
  describeObject,
  type KubernetesObject,
  objectId,
  type SourceKind,
} from "./bundle.ts";
import { type BundleCache, MemoryBundleCache } from "./bundle-cache.ts";
import { detectSourceKind } from "./detect.ts";
import { DirectoryRenderer } from "./directory.ts";
import { RenderError } from "./errors/render-error.ts";
import { HelmRenderer } from "./helm.ts";
import { KustomizeRenderer } from "./kustomize.ts";
import { originOf } from "./manifests.ts";
import { defaultRenderLimits, defaultToolPaths, type RenderLimits, type ToolPaths } from "./options.ts";
import { renderKey } from "./render-key.ts";
import { normalizeSourcePath } from "./repo-paths.ts";
import { createToolRunner, type ToolRunner } from "./run-tool.ts";
import type { RenderRequest, SourceRenderer } from "./source-renderer.ts";

export interface RendererOptions {
  /** Reads the source tree at a commit; a RepoCache from @flotilla/git in production. Required. */
  reader: RepoReader;
  /** @defaultValue a `MemoryBundleCache` with its defaults */
  cache: BundleCache;
  /** @defaultValue `defaultToolPaths()` ($FLOTILLA_HELM / $FLOTILLA_KUSTOMIZE, else PATH) */
  tools: ToolPaths;
  /** @defaultValue `defaultRenderLimits()` */
  limits: RenderLimits;
  /** Parent of per-render temp directories. @defaultValue the OS temp directory */
  tempDir: string;
  /** Stamps `renderedAt`. @defaultValue `() => new Date()` */
  now: () => Date;
  /** Runs helm and kustomize. @defaultValue a runner over `tools` and `limits` */
  toolRunner?: ToolRunner;
}

/** One render input, as an Application contributes it. */
export interface RenderInput {
  source: ApplicationSource;
  /** Full commit id the source's targetRevision resolved to. */
  commit: string;
  /** Helm release name. */
  releaseName: string;
  /** Helm release namespace. */
  namespace: string | undefined;
}

export interface RendererStats {
  /** Renders actually run (cache misses that were not joined to one already running). */
  renders: number;
  cacheHits: number;
  /** Requests that waited for an identical render already in flight. */
  joined: number;
  failures: number;
}

/**
 * Turns an Application's source at a commit into a Bundle, once per input: a cached bundle is returned as
 * is, and concurrent requests for the same input share one render.
 */
export class Renderer {
  readonly #options: RendererOptions;
  readonly #tools: ToolRunner;
  readonly #renderers: ReadonlyMap<SourceKind, SourceRenderer>;
  readonly #inFlight = new Map<string, Promise<Bundle>>();
  readonly #stats: RendererStats = { renders: 0, cacheHits: 0, joined: 0, failures: 0 };

  constructor(options: Partial<RendererOptions> & Pick<RendererOptions, "reader">) {
    this.#options = {
      cache: new MemoryBundleCache(),
      tools: defaultToolPaths(),
      limits: defaultRenderLimits(),
      tempDir: tmpdir(),
      now: () => new Date(),
      ...options,
    };
    this.#tools = this.#options.toolRunner ?? createToolRunner(this.#options.tools, this.#options.limits);
    const renderers: SourceRenderer[] = [new DirectoryRenderer(), new KustomizeRenderer(), new HelmRenderer()];
    this.#renderers = new Map(renderers.map((r) => [r.kind, r]));
  }

  stats(): RendererStats {
    return { ...this.#stats };
  }

  /** Renders `app.spec.source` at `commit`; the release name defaults to the Application's name. */
  render(app: Application, commit: string): Promise<Bundle> {
    return this.renderInput({
      source: app.spec.source,
      commit,
      releaseName: app.spec.source.helm?.releaseName || app.metadata.name,
      namespace: app.spec.destination.namespace || undefined,
    });
  }

  async renderInput(input: RenderInput): Promise<Bundle> {
    const { source, commit } = input;
    const path = normalizeSourcePath(source.path);
    const tree = await this.#listTree(source.repoURL, commit);
    const kind = detectSourceKind(source, path, tree);
    const key = renderKey(source, commit, kind === "helm" ? input : undefined);

    const running = this.#inFlight.get(key);
    if (running) {
      this.#stats.joined++;
      return running;
    }
    const rendering = this.#lookupOrRender(key, kind, path, tree, input);
    this.#inFlight.set(key, rendering);
    try {
      return await rendering;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #lookupOrRender(
    key: string,
    kind: SourceKind,
    path: string,
    tree: RepoTree,
    input: RenderInput,
  ): Promise<Bundle> {
    const cached = await this.#options.cache.get(key);
    if (cached) {
      this.#stats.cacheHits++;
      return cached;
    }
    this.#stats.renders++;
    try {
      const bundle = await this.#render(key, kind, path, tree, input);
      await this.#options.cache.put(key, bundle);
      return bundle;
    } catch (err) {
      this.#stats.failures++;
      throw err;
    }
  }

  async #render(key: string, kind: SourceKind, path: string, tree: RepoTree, input: RenderInput): Promise<Bundle> {
    const request: RenderRequest = {
      reader: this.#options.reader,
      repoURL: input.source.repoURL,
      commit: input.commit,
      tree,
      path,
      source: input.source,
      releaseName: input.releaseName,
      namespace: input.namespace,
      limits: this.#options.limits,
      tools: this.#tools,
      tempDir: this.#options.tempDir,
    };
    const objects = await this.#renderers.get(kind)!.render(request);
    checkObjects(objects, this.#options.limits.maxObjects);
    const { manifests, digest } = canonicalize(objects);
    return {
      digest,
      inputKey: key,
      manifests,
      source: { repoURL: input.source.repoURL, commit: input.commit, path, kind },
      renderedAt: this.#options.now().toISOString(),
    };
  }

  async #listTree(repoURL: string, commit: string): Promise<RepoTree> {
    try {
      return await this.#options.reader.listTree(repoURL, commit);
    } catch (err) {
      throw new RenderError({ failure: "ReadFailed", reason: (err as Error).message, cause: err });
    }
  }
}

/** Two manifests for one object would make apply order decide the result; refuse them, naming both. */
export function checkObjects(objects: readonly KubernetesObject[], maxObjects: number): void {
  if (objects.length > maxObjects) {
    throw new RenderError({
      failure: "TooLarge",
      reason: `the source renders ${objects.length} objects; at most ${maxObjects} are allowed`,
    });
  }
  const seen = new Map<string, KubernetesObject>();
  for (const obj of objects) {
    const id = objectId(obj);
    const first = seen.get(id);
    if (first) {
      const where = [originOf(first), originOf(obj)].filter((o) => o !== undefined);
      const suffix = where.length === 2 ? `: in ${where[0]} and in ${where[1]}` : "";
      throw new RenderError({
        failure: "DuplicateObject",
        reason: `${describeObject(obj)} is defined more than once${suffix}`,
      });
    }
    seen.set(id, obj);
  }
}
