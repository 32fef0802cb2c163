import {
  type Application,
  type ApplicationSet,
  type Cluster,
  type ElementError,
  type Generation,
  indexClusters,
  type Params,
  type RepoReader,
  type SourceFailure,
  sourceFailureOf,
} from "@flotilla/core";
import { type GeneratorLimits, generateParams } from "@flotilla/generators";
import { describeParams } from "./describe-params.ts";
import type { GenerationMemo, RenderedElement } from "./generation-memo.ts";
import { type RenderContext, renderApplication, renderApplicationName } from "./render-application.ts";

export interface GenerateOptions {
  clusters: readonly Cluster[];
  repos: RepoReader;
  /** Overrides of the generators' limits: a caller that must stay small (the API's preview) lowers them. */
  limits?: Partial<GeneratorLimits>;
  /**
   * This ApplicationSet's previous generation (one memo per ApplicationSet, owned by the caller): what did not
   * change is reused instead of generated and rendered again. The result is the same. @defaultValue none
   */
  memo?: GenerationMemo;
}

/**
 * Expands one ApplicationSet: generators → params → one Application per element. A generator failure fails the
 * whole generation (its output cannot be trusted); an element failure fails that element only.
 */
export async function generateApplications(appSet: ApplicationSet, options: GenerateOptions): Promise<Generation> {
  const name = appSet.metadata.name;
  let elements: Params[];
  try {
    elements = await generateParams(appSet.spec.generators, {
      appSet: name,
      clusters: options.clusters,
      repos: options.repos,
      ...(options.limits !== undefined && { limits: options.limits }),
      ...(options.memo !== undefined && { memo: options.memo.params }),
    });
  } catch (err) {
    return { appSet: name, applications: [], errors: [], generatorError: (err as Error).message };
  }
  const ctx: RenderContext = { appSet, clusters: indexClusters(options.clusters) };
  return await renderElements(ctx, elements, options.memo?.renders(appSet, options.clusters));
}

/**
 * Elements rendered between two yields to the event loop. Rendering a hundred thousand Applications from scratch
 * takes seconds of CPU; in one piece it would starve the generator lease's renewals (and the probes) on a busy
 * machine, and the lease lost mid-cycle throws the cycle's work away.
 */
const RENDER_SLICE = 2_000;

async function renderElements(
  ctx: RenderContext,
  elements: readonly Params[],
  memo: WeakMap<Params, RenderedElement> | undefined,
): Promise<Generation> {
  const appSet = ctx.appSet.metadata.name;
  const errors: ElementError[] = [];
  const rendered: { element: number; app: Application; params: Params }[] = [];
  let sinceYield = 0;
  for (let element = 0; element < elements.length; element++) {
    const params = elements[element]!;
    const failure = sourceFailureOf(params);
    if (failure !== undefined) {
      errors.push(sourceError(ctx.appSet, element, params, failure));
      continue;
    }
    let outcome = memo?.get(params);
    if (outcome === undefined) {
      outcome = renderElement(ctx, params);
      memo?.set(params, outcome);
      if (++sinceYield >= RENDER_SLICE) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if ("app" in outcome) rendered.push({ element, app: outcome.app, params });
    else errors.push({ appSet, element, ...outcome.failure });
  }

  // Every holder of a duplicated name fails: which of them was meant is not ours to guess. Only a name seen twice
  // is counted, so the usual case (no duplicate among tens of thousands) builds one set of names and nothing else.
  const names = new Set<string>();
  const repeated = new Set<string>();
  for (const r of rendered) {
    const name = r.app.metadata.name;
    if (names.has(name)) repeated.add(name);
    else names.add(name);
  }
  const duplicated = new Map<string, number[]>();
  for (const r of repeated.size === 0 ? [] : rendered) {
    const name = r.app.metadata.name;
    if (repeated.has(name)) (duplicated.get(name) ?? duplicated.set(name, []).get(name)!).push(r.element);
  }
  const applications: Application[] = [];
  for (const r of rendered) {
    const name = r.app.metadata.name;
    const same = duplicated.get(name);
    if (same === undefined) {
      applications.push(r.app);
      continue;
    }
    errors.push({
      appSet,
      element: r.element,
      application: name,
      field: "metadata.name",
      params: describeParams(r.params),
      message: `duplicate Application name "${name}": elements ${same.join(", ")} all produce it`,
    });
  }
  if (errors.length > 0) errors.sort((a, b) => a.element - b.element);
  return { appSet, applications, errors };
}

/** One parameter set → its Application, or why it has none. */
function renderElement(ctx: RenderContext, params: Params): RenderedElement {
  let application: string | undefined;
  try {
    application = renderApplicationName(ctx.appSet, params);
    return { app: renderApplication(ctx, params) };
  } catch (err) {
    // InvalidApplicationError names its `field`, a template's TemplateError its `fieldPath`.
    const e = err as Error & { field?: string; fieldPath?: string };
    const field = e.field ?? (e.fieldPath || undefined);
    return {
      failure: {
        ...(application !== undefined && { application }),
        ...(field !== undefined && { field }),
        params: describeParams(params),
        message: e.message,
      },
    };
  }
}

/**
 * The error of an element whose source failed (a git file that does not parse). When the Application name renders
 * from what is known without the file (its path, a matrix sibling's params), the error names it, and so protects
 * that Application from deletion; otherwise it is anonymous, and the deletion guard holds every deletion.
 */
function sourceError(appSet: ApplicationSet, element: number, params: Params, failure: SourceFailure): ElementError {
  let application: string | undefined;
  try {
    application = renderApplicationName(appSet, params);
  } catch {
    // The name needs what the file would have said: the element stays anonymous.
  }
  return {
    appSet: appSet.metadata.name,
    element,
    ...(application !== undefined && { application }),
    params: describeParams(params),
    source: failure.source,
    message: failure.message,
  };
}
