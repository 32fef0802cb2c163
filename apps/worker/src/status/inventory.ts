import type { ChangeSet, Inventory, InventoryEntry } from "@flotilla/kube";

/** What a change set shows the Application now owns: objects applied without error, under our ownership. */
export function inventoryOf(changeSet: ChangeSet): Inventory {
  return sorted(
    changeSet.entries.filter((e) => e.owned && e.error === undefined).map(({ id, version }) => ({ id, version })),
  );
}

/** Everything in either, the later version winning: the record kept while a sync could not finish. */
export function mergeInventories(...inventories: readonly (Inventory | readonly InventoryEntry[])[]): Inventory {
  const byId = new Map<string, InventoryEntry>();
  for (const inventory of inventories) {
    const entries = Array.isArray(inventory)
      ? (inventory as readonly InventoryEntry[])
      : (inventory as Inventory).entries;
    for (const entry of entries) byId.set(entry.id, { id: entry.id, version: entry.version });
  }
  return sorted([...byId.values()]);
}

/** The entries of `inventory` not in `gone`: what remains after a prune or delete that removed `gone`. */
export function withoutEntries(inventory: Inventory, gone: readonly string[]): Inventory {
  const removed = new Set(gone);
  return sorted(inventory.entries.filter((e) => !removed.has(e.id)));
}

/**
 * What an Application still owns after a delete or prune of `inventory`'s objects: only those whose deletion failed
 * (forbidden, refused by a webhook, a server error, no answer), so the next attempt tries them again. An object
 * deleted, already gone, or left alone on purpose (not ours, preserved) leaves it; one the change set does not
 * mention stays, since nothing was done to it.
 */
export function remainingAfterDelete(inventory: Inventory, changeSet: ChangeSet): Inventory {
  return withoutEntries(
    inventory,
    changeSet.entries.filter((e) => e.error === undefined).map((e) => e.id),
  );
}

function sorted(entries: InventoryEntry[]): Inventory {
  return { entries: entries.sort((a, b) => a.id.localeCompare(b.id)) };
}
