import {
  type Application,
  type Cluster,
  diffPolicyOf,
  type ElementError,
  type Generation,
  indexClusters,
  type LocatedApplicationSet,
  type RepoReader,
} from "@flotilla/core";
import { generateApplications } from "@flotilla/engine";
import type { Store } from "@flotilla/store";
import { badRequest } from "../errors.ts";
import { type AppSetDiff, diffAppSet, withoutOwnedNames } from "./appset-diff.ts";

/** What a dry run reads: the live registry and the stored Applications (never written), and Git. */
export interface DryRunDeps {
  store: Pick<Store, "clusters" | "applications" | "generationSizes" | "owners" | "holds">;
  repos: RepoReader;
  /** Applications one request may generate, all its ApplicationSets together. @defaultValue 10 000 */
  maxApplications?: number;
  now?: () => Date;
}

export const DEFAULT_MAX_APPLICATIONS = 10_000;

/** Where a posted ApplicationSet came from, so that the answer points back at it. */
export interface Located {
  appSet: string;
  /** The posted file's name. */
  file: string;
  line: number;
}

export interface PreviewItem extends Located {
  applications: Application[];
  errors: ElementError[];
  generatorError?: string;
}

export type DiffItem = AppSetDiff & Located;

/** The Applications each posted ApplicationSet produces against the live registry. Nothing is stored. */
export async function previewPosted(
  deps: DryRunDeps,
  posted: readonly LocatedApplicationSet[],
): Promise<PreviewItem[]> {
  const generated = await generateAll(deps, posted);
  return generated.map(({ located, generation }) => ({
    ...locatedOf(located),
    applications: generation.applications,
    errors: generation.errors,
    ...(generation.generatorError !== undefined && { generatorError: generation.generatorError }),
  }));
}

/** What a generation of each posted ApplicationSet would create, update and delete against what is stored. */
export async function diffPosted(deps: DryRunDeps, posted: readonly LocatedApplicationSet[]): Promise<DiffItem[]> {
  const now = deps.now ?? (() => new Date());
  const generated = await generateAll(deps, posted);
  const out: DiffItem[] = [];
  for (const { located, generation, registry } of generated) {
    const name = located.appSet.metadata.name;
    const names = [...(await deps.store.applications.desiredDigests(name)).keys()];
    const apps = await deps.store.applications.getMany(name, names);
    const stored = new Map<string, Application>();
    apps.forEach((app, i) => {
      if (app !== undefined) stored.set(names[i]!, app);
    });
    const since = new Date(now().getTime() - diffPolicyOf(located.appSet).deletionGuard.windowMs);
    const baseline = await deps.store.generationSizes.largestSince(name, since);
    const diff = diffAppSet({ appSet: located.appSet, generation, stored, baseline, registry });
    const owned = await ownedByOthers(deps, name, diff);
    out.push({ ...withoutOwnedNames(diff, generation, owned), ...locatedOf(located) });
  }
  return out;
}

/**
 * Application name → the other ApplicationSet that owns it on its cluster, for the names the diff would create. One
 * that left Git (held as removed) hands its names over, as in a rename, so it does not count.
 */
async function ownedByOthers(deps: DryRunDeps, appSet: string, diff: AppSetDiff): Promise<Map<string, string>> {
  const names = diff.creates.map((c) => ({ cluster: c.cluster, application: c.application }));
  const owners = await deps.store.owners.owners(names);
  const out = new Map<string, string>();
  for (const [i, owner] of owners.entries()) {
    if (owner === undefined || owner === appSet) continue;
    if ((await deps.store.holds.get(owner))?.kind === "removed") continue;
    out.set(names[i]!.application, owner);
  }
  return out;
}

interface Generated {
  located: LocatedApplicationSet;
  generation: Generation;
  registry: ReturnType<typeof indexClusters>;
}

/**
 * Generates every posted ApplicationSet with the generators' limits lowered to what one request may produce, so
 * that a runaway matrix is refused rather than held in memory.
 */
async function generateAll(deps: DryRunDeps, posted: readonly LocatedApplicationSet[]): Promise<Generated[]> {
  const max = deps.maxApplications ?? DEFAULT_MAX_APPLICATIONS;
  const clusters: Cluster[] = await deps.store.clusters.list();
  const registry = indexClusters(clusters);
  const limits = { maxParamSets: max, maxElements: max };
  let total = 0;
  const out: Generated[] = [];
  for (const located of posted) {
    const generation = await generateApplications(located.appSet, { clusters, repos: deps.repos, limits });
    // The lowered limit speaks as the generator's; the request is refused in the API's own words instead.
    if (generation.generatorError?.includes(`more than ${max} `) === true) throw tooMany(located, max);
    total += generation.applications.length + generation.errors.length;
    if (total > max) throw tooMany(located, max);
    out.push({ located, generation, registry });
  }
  return out;
}

function tooMany(located: LocatedApplicationSet, max: number) {
  const where = `${located.file}:${located.line}`;
  return badRequest(
    `${where}: ApplicationSet "${located.appSet.metadata.name}": the request would generate more than ${max} ` +
      "Applications, more than one request may; preview it offline (flotilla appset preview --clusters FILE) " +
      "or post fewer ApplicationSets at once",
    "body.files",
  );
}

function locatedOf(located: LocatedApplicationSet): Located {
  return { appSet: located.appSet.metadata.name, file: located.file, line: located.line };
}
