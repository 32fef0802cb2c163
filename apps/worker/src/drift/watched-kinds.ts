import { type Inventory, parseId } from "@flotilla/kube";

/** A kind to watch on one cluster, at the version it was applied with. */
export interface WatchedKind {
  group: string;
  version: string;
  kind: string;
}

/** "group/kind", the identity of a watch: one per kind, whatever the version. */
export function kindKey(kind: Pick<WatchedKind, "group" | "kind">): string {
  return `${kind.group}/${kind.kind}`;
}

/** The kinds the Applications of a cluster own, one each: only those are watched. */
export function watchedKinds(inventories: readonly Inventory[]): WatchedKind[] {
  const byKey = new Map<string, WatchedKind>();
  for (const inventory of inventories) {
    for (const entry of inventory.entries) {
      const { group, kind } = parseId(entry.id);
      byKey.set(kindKey({ group, kind }), { group, version: entry.version, kind });
    }
  }
  return [...byKey.values()].sort((a, b) => kindKey(a).localeCompare(kindKey(b)));
}
