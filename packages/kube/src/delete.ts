import { mapLimit } from "@flotilla/core";
import { type ChangeSet, type ChangeSetEntry, entryFor } from "./changeset.ts";
import type { ClusterClient } from "./client.ts";
import type { ResourceInfo } from "./discovery.ts";
import { ObjectDeleteFailed } from "./errors/object-delete-failed.ts";
import { isNotFound, isUnknownKind } from "./errors/predicates.ts";
import { isHook } from "./hooks.ts";
import { apiVersionOf, type InventoryEntry, parseId } from "./inventory.ts";
import { isOwnedBy, prunePolicyOf } from "./labels.ts";
import type { KubeObject } from "./object.ts";
import { pruneWaves } from "./waves.ts";

export interface DeleteOptions {
  /** The Application whose objects these are; an object not labelled with it is never deleted. */
  application: string;
  /**
   * The ApplicationSets that Application may belong to (its own, and during a rename the one it came from); an
   * object labelled with another is never deleted. @defaultValue any
   */
  appSets?: readonly string[];
  /**
   * How dependents (a Deployment's ReplicaSets and Pods) go.
   * @defaultValue "Background"
   */
  propagationPolicy: "Background" | "Foreground" | "Orphan";
  /**
   * Decide and report, delete nothing.
   * @defaultValue false
   */
  dryRun: boolean;
  /**
   * Delete hooks too: only the hook runner does, by a hook's delete policy; prune leaves an object that has become
   * a hook to that policy. @defaultValue false
   */
  hooks?: boolean;
  /**
   * How many objects are deleted at once.
   * @defaultValue 8
   */
  concurrency: number;
}

export function defaultDeleteOptions(application: string): DeleteOptions {
  return { application, propagationPolicy: "Background", dryRun: false, concurrency: 8 };
}

/** Why an owned-looking inventory entry must be left alone, or undefined when it may go. */
export function pruneVeto(
  live: Pick<KubeObject, "metadata">,
  application: string,
  appSets?: readonly string[],
): string | undefined {
  if (!isOwnedBy(live, application, appSets)) {
    const appSet = appSets === undefined || appSets.length === 0 ? "" : ` of ApplicationSet ${appSets.join(" or ")}`;
    return `not owned by ${application}${appSet}`;
  }
  if (prunePolicyOf(live) === "preserve") return "preserved by annotation";
  return undefined;
}

/** An entry as read just before deleting it: either decided already (gone, vetoed, failed) or live and ours. */
type Read =
  | { entry: InventoryEntry; done: ChangeSetEntry }
  | { entry: InventoryEntry; info: ResourceInfo; live: KubeObject; done?: undefined };

async function readForDelete(client: ClusterClient, entry: InventoryEntry, options: DeleteOptions): Promise<Read> {
  const ref = parseId(entry.id);
  const skip = (reason: string) => ({ entry, done: entryFor(ref, entry.version, "skipped", { reason }) });
  try {
    const info = await client.discovery.resolve(apiVersionOf(entry), ref.kind, ref);
    // Decide on the object as it is now, not as the inventory remembers it: a label or annotation may have changed.
    const live = await client.get(info, ref);
    if (live === undefined) return skip("already gone");
    const veto = pruneVeto(live, options.application, options.appSets);
    if (veto !== undefined) return skip(veto);
    if (live.metadata["deletionTimestamp"] !== undefined) return skip("already being deleted");
    // An object that became a hook since it was applied: its delete policy decides when it goes, not prune.
    if (isHook(live) && options.hooks !== true) return skip("now a hook; its delete policy removes it");
    return { entry, info, live };
  } catch (error) {
    return { entry, done: failedDelete(entry, error) };
  }
}

function failedDelete(entry: InventoryEntry, error: unknown): ChangeSetEntry {
  const ref = parseId(entry.id);
  if (isNotFound(error)) return entryFor(ref, entry.version, "skipped", { reason: "already gone" });
  if (isUnknownKind(error)) return entryFor(ref, entry.version, "skipped", { reason: "kind no longer served" });
  return entryFor(ref, entry.version, "skipped", { error: new ObjectDeleteFailed(ref, error) });
}

async function deleteRead(
  client: ClusterClient,
  read: Extract<Read, { info: ResourceInfo }>,
  options: DeleteOptions,
): Promise<ChangeSetEntry> {
  const { entry, info, live } = read;
  const ref = parseId(entry.id);
  try {
    // Preconditions make the delete apply to exactly the object just checked, not one re-created meanwhile.
    const preconditions = { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion };
    await client.delete(info, ref, {
      propagationPolicy: options.propagationPolicy,
      preconditions,
      dryRun: options.dryRun,
    });
    return entryFor(ref, entry.version, "deleted");
  } catch (error) {
    return failedDelete(entry, error);
  }
}

/**
 * Deletes inventory entries that left Git; only what the Application owns. Each is read first; then they go in
 * the reverse of the apply order, by the sync wave their live object carries: the highest wave first, one wave's
 * deletes sent before the next wave's, workloads before what they use inside a wave, Namespaces and CRDs last.
 */
export async function deleteAll(
  client: ClusterClient,
  entries: readonly InventoryEntry[],
  options: DeleteOptions,
): Promise<ChangeSet> {
  const reads = await mapLimit(entries, options.concurrency, (entry) => readForDelete(client, entry, options));
  const decided: ChangeSetEntry[] = [];
  const readOf = new Map<KubeObject, Extract<Read, { info: ResourceInfo }>>();
  for (const read of reads) {
    if (read.done !== undefined) decided.push(read.done);
    else readOf.set(read.live, read);
  }
  const deleted: ChangeSetEntry[] = [];
  for (const wave of pruneWaves([...readOf.keys()])) {
    const inWave = wave.objects.map((live) => readOf.get(live) as Extract<Read, { info: ResourceInfo }>);
    deleted.push(...(await mapLimit(inWave, options.concurrency, (read) => deleteRead(client, read, options))));
  }
  return { entries: [...deleted, ...decided] };
}
