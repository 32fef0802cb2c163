import type { Inventory } from "@flotilla/kube";
import { type WatchedKind, watchedKinds } from "./watched-kinds.ts";

type Listener = (kinds: WatchedKind[]) => void;

/**
 * Tells a cluster's drift watch which kinds a sync has just recorded, so a kind new to the cluster is watched at
 * once rather than at the watch's next refresh: until it is, an edit of those objects is seen only by a periodic
 * re-sync.
 */
export class OwnedKinds {
  readonly #listeners = new Map<string, Listener>();

  /** One listener per cluster (its watch); returns what removes it. */
  listen(cluster: string, listener: Listener): () => void {
    this.#listeners.set(cluster, listener);
    return () => {
      if (this.#listeners.get(cluster) === listener) this.#listeners.delete(cluster);
    };
  }

  /** A sync recorded `inventory` as what an Application of `cluster` owns now. */
  recorded(cluster: string, inventory: Inventory): void {
    const listener = this.#listeners.get(cluster);
    if (listener !== undefined && inventory.entries.length > 0) listener(watchedKinds([inventory]));
  }
}
