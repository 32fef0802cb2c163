import type { Application, ApplicationSet, Cluster, ElementError, Params } from "@flotilla/core";
import { specDigest } from "@flotilla/core";
import { contentKey, ParamsMemo } from "@flotilla/generators";

/** What rendering one parameter set came to, without its position (an element removed before it moves it). */
export type RenderedElement =
  | { app: Application }
  | { failure: Pick<ElementError, "application" | "field" | "params" | "message"> };

/**
 * One ApplicationSet's previous generation, kept so that the next one redoes only what changed: the generators'
 * parameter sets (see `ParamsMemo`), what each set rendered to, and each Application's spec digest. A
 * generation with a memo is the same, byte for byte, as one without; it is only cheaper when little changed.
 * Rendered Applications are shared between generations and must not be modified (nobody does: jobs and the
 * store serialise them).
 */
export class GenerationMemo {
  readonly params = new ParamsMemo();
  #renderKey: string | undefined;
  #rendered = new WeakMap<Params, RenderedElement>();
  #specDigests = new WeakMap<Application, string>();

  /**
   * Renders by parameter set, for the template and destinations of this generation: a template edit renders
   * everything again, a relabel (destinations unchanged) only the parameter sets it changed.
   */
  renders(appSet: ApplicationSet, clusters: readonly Cluster[]): WeakMap<Params, RenderedElement> | undefined {
    const { template, templatePatch } = appSet.spec;
    const templateKey = contentKey([appSet.metadata.name, template, templatePatch ?? null]);
    if (templateKey === undefined) return undefined;
    // Destinations resolve against the registered names and servers, nothing else of a cluster.
    const key = `${templateKey}${contentKey(clusters.map((c) => [c.name, c.server]))}`;
    if (key !== this.#renderKey) {
      this.#renderKey = key;
      this.#rendered = new WeakMap();
    }
    return this.#rendered;
  }

  /** `specDigest` of an Application, computed once per rendered object. */
  specDigest(app: Application): string {
    let digest = this.#specDigests.get(app);
    if (digest === undefined) {
      digest = specDigest(app);
      this.#specDigests.set(app, digest);
    }
    return digest;
  }
}
