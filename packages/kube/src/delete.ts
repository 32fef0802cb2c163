import { mapLimit } from "@flotilla/core";
import { type ChangeSet, type ChangeSetEntry, entryFor } from "./changeset.ts";
import type { ClusterClient } from "./client.ts";
import { ObjectDeleteFailed } from "./errors/object-delete-failed.ts";
import { isNotFound, isUnknownKind } from "./errors/predicates.ts";
import { apiVersionOf, type InventoryEntry, parseId } from "./inventory.ts";
import { isOwnedBy, prunePolicyOf } from "./labels.ts";
import type { KubeObject } from "./object.ts";
import { sortForDelete } from "./order.ts";

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

async function deleteOne(
  client: ClusterClient,
  entry: InventoryEntry,
  options: DeleteOptions,
): Promise<ChangeSetEntry> {
  const ref = parseId(entry.id);
  const skip = (reason: string) => entryFor(ref, entry.version, "skipped", { reason });
  try {
    const info = await client.discovery.resolve(apiVersionOf(entry), ref.kind, ref);
    // Decide on the object as it is now, not as the inventory remembers it: a label or annotation may have changed.
    const live = await client.get(info, ref);
    if (live === undefined) return skip("already gone");
    const veto = pruneVeto(live, options.application, options.appSets);
    if (veto !== undefined) return skip(veto);
    if (live.metadata["deletionTimestamp"] !== undefined) return skip("already being deleted");
    // Preconditions make the delete apply to exactly the object just checked, not one re-created meanwhile.
    const preconditions = { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion };
    await client.delete(info, ref, {
      propagationPolicy: options.propagationPolicy,
      preconditions,
      dryRun: options.dryRun,
    });
    return entryFor(ref, entry.version, "deleted");
  } catch (error) {
    if (isNotFound(error)) return skip("already gone");
    if (isUnknownKind(error)) return skip("kind no longer served");
    return entryFor(ref, entry.version, "skipped", { error: new ObjectDeleteFailed(ref, error) });
  }
}

/** Deletes inventory entries that left Git, workloads before what they use; only what the Application owns. */
export async function deleteAll(
  client: ClusterClient,
  entries: readonly InventoryEntry[],
  options: DeleteOptions,
): Promise<ChangeSet> {
  const entryOf = new Map<KubeObject, InventoryEntry>();
  for (const entry of entries) {
    const ref = parseId(entry.id);
    const object = {
      apiVersion: apiVersionOf(entry),
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    };
    entryOf.set(object, entry);
  }
  const ordered = sortForDelete([...entryOf.keys()]).map((object) => entryOf.get(object) as InventoryEntry);
  return { entries: await mapLimit(ordered, options.concurrency, (entry) => deleteOne(client, entry, options)) };
}
