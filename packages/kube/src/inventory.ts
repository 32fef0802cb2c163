import { formatId, type KubeObject, type ObjectRef, refOf } from "./object.ts";

/** One object an Application owns: its `group/kind/namespace/name` id and the API version it was applied with. */
export interface InventoryEntry {
  id: string;
  version: string;
}

/** What an Application owns on one cluster, as recorded after its last sync. Sorted by id. */
export interface Inventory {
  entries: InventoryEntry[];
}

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

export function newInventory(objects: readonly KubeObject[]): Inventory {
  const byId = new Map<string, InventoryEntry>();
  for (const object of objects) {
    const id = formatId(refOf(object));
    byId.set(id, { id, version: versionOf(object.apiVersion) });
  }
  return { entries: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}

/**
 * The entries of `previous` that `next` no longer has: what left Git and is a candidate for pruning.
 * Compared by id alone, so a version bump of a kind (v1beta1 → v1) is not mistaken for a removal.
 */
export function staleEntries(previous: Inventory, next: Inventory): InventoryEntry[] {
  const kept = new Set(next.entries.map((entry) => entry.id));
  return previous.entries.filter((entry) => !kept.has(entry.id));
}

export class InvalidInventoryId extends Error {
  override readonly name = "InvalidInventoryId";
  readonly id: string;

  constructor(id: string) {
    super(`invalid inventory id "${id}": expected group/kind/namespace/name`);
    this.id = id;
  }
}

/** The reverse of `formatId`. Names and namespaces cannot contain "/", so the split is exact. */
export function parseId(id: string): ObjectRef {
  const parts = id.split("/");
  if (parts.length !== 4) throw new InvalidInventoryId(id);
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  if (kind === "" || name === "") throw new InvalidInventoryId(id);
  return { group, kind, namespace, name };
}

/** The apiVersion an entry was applied with, rebuilt from its group and version. */
export function apiVersionOf(entry: InventoryEntry): string {
  const { group } = parseId(entry.id);
  return group === "" ? entry.version : `${group}/${entry.version}`;
}
