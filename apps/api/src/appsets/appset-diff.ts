import {
  type Application,
  type ApplicationSet,
  type ClusterIndex,
  destinationOfStored,
  diffGenerations,
  diffPolicyOf,
  type ElementError,
  type Generation,
  specDigest,
} from "@flotilla/core";
import { ownerConflictMessage } from "@flotilla/store";
import { changedFields } from "./field-changes.ts";

export interface AppSetDiffInput {
  appSet: ApplicationSet;
  generation: Generation;
  /** The Applications in force for this ApplicationSet, by name. */
  stored: ReadonlyMap<string, Application>;
  /** The deletion guard's baseline: the largest size the ApplicationSet had within its window. */
  baseline: number;
  registry: ClusterIndex;
}

export interface PlannedChange {
  application: string;
  cluster: string;
}

export interface PlannedUpdate extends PlannedChange {
  /** Dotted paths of the fields that change. */
  fields: string[];
}

export interface PlannedDelete {
  application: string;
  /** Where it would be deleted; absent when its cluster left the registry and its stored destination names none. */
  cluster?: string;
  /** The deletion guard would hold it rather than delete it. */
  held: boolean;
}

/** What a generation of one ApplicationSet would change against what is stored, as a person reviews it. */
export interface AppSetDiff {
  appSet: string;
  /** Whether the ApplicationSet has Applications in force (false: everything would be created). */
  stored: boolean;
  creates: PlannedChange[];
  updates: PlannedUpdate[];
  deletes: PlannedDelete[];
  unchanged: number;
  errors: ElementError[];
  /** The generator failed as a whole: nothing would change, the generation in force stays. */
  generatorError?: string;
  /** The deletions the guard would hold, and why. */
  held?: { count: number; reason: string };
}

/**
 * The generator's own diff (`diffGenerations`, the spec digest, the ApplicationSet's guard and baseline) against the
 * stored Applications. Pure. It compares specs: a new commit on a source branch that renders differently is not a
 * spec change and shows only when the generator renders it.
 */
export function diffAppSet(input: AppSetDiffInput): AppSetDiff {
  const { appSet, generation, stored, registry } = input;
  const previous = new Map([...stored].map(([name, app]) => [name, specDigest(app)]));
  const diff = diffGenerations(previous, generation, diffPolicyOf(appSet), { baseline: input.baseline });
  const clusterOf = (app: Application) => app.spec.destination.cluster ?? app.spec.destination.server ?? "";
  const storedCluster = (name: string): string | undefined => {
    const app = stored.get(name);
    if (app === undefined) return undefined;
    const resolved = destinationOfStored(app.spec.destination, registry);
    return resolved.ok ? resolved.cluster : (app.spec.destination.cluster ?? app.spec.destination.server);
  };
  const deleteOf = (application: string, held: boolean): PlannedDelete => {
    const cluster = storedCluster(application);
    return { application, ...(cluster !== undefined && { cluster }), held };
  };
  const heldNames = diff.held?.deletes ?? [];
  const result: AppSetDiff = {
    appSet: appSet.metadata.name,
    stored: stored.size > 0,
    creates: diff.creates.map(({ application }) => ({
      application: application.metadata.name,
      cluster: clusterOf(application),
    })),
    updates: diff.updates.map(({ application }) => ({
      application: application.metadata.name,
      cluster: clusterOf(application),
      fields: changedFields(stored.get(application.metadata.name), application),
    })),
    deletes: [...diff.deletes.map((n) => deleteOf(n, false)), ...heldNames.map((n) => deleteOf(n, true))].sort((a, b) =>
      a.application.localeCompare(b.application),
    ),
    unchanged: diff.unchanged.length - heldNames.length,
    errors: generation.errors,
  };
  if (generation.generatorError !== undefined) result.generatorError = generation.generatorError;
  if (diff.held !== undefined && heldNames.length > 0) {
    result.held = { count: heldNames.length, reason: diff.held.reason };
  }
  return result;
}

/** Whether applying the diff would change anything (a held deletion is a change the guard stops, so it counts). */
export function hasChanges(diff: AppSetDiff): boolean {
  return diff.creates.length + diff.updates.length + diff.deletes.length > 0;
}

/**
 * The diff once names another ApplicationSet owns are taken out, as the generator's claim would: each such create
 * becomes its element's error naming the owner. `owners`: Application name → the other ApplicationSet owning it on
 * its cluster. Pure.
 */
export function withoutOwnedNames(
  diff: AppSetDiff,
  generation: Generation,
  owners: ReadonlyMap<string, string>,
): AppSetDiff {
  if (owners.size === 0) return diff;
  const errors: ElementError[] = [];
  generation.applications.forEach((application, element) => {
    const name = application.metadata.name;
    const owner = owners.get(name);
    const create = diff.creates.find((c) => c.application === name);
    if (owner === undefined || create === undefined) return;
    errors.push({
      appSet: diff.appSet,
      element,
      application: name,
      field: "metadata.name",
      params: `cluster=${create.cluster}`,
      message: ownerConflictMessage(name, create.cluster, owner),
    });
  });
  return {
    ...diff,
    creates: diff.creates.filter((c) => !owners.has(c.application)),
    errors: [...diff.errors, ...errors],
  };
}
