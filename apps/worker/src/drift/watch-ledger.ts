/** One kind's watch on one cluster. */
interface KindWatch {
  /** Since when every change has been seen without a gap (a resumed watch keeps it; a re-list starts anew). */
  since: number;
  /** False between a watch closing and its resumption: events of that time are not delivered yet. */
  up: boolean;
}

/**
 * What the drift watches of this process have seen, for the syncs that would rather not look again: when every
 * kind an Application owns has been watched without a gap since its last full check, and no change by someone else
 * to its objects has been seen since, the cluster is as that check left it.
 */
export class WatchLedger {
  readonly #kinds = new Map<string, Map<string, KindWatch>>();
  readonly #changed = new Map<string, number>();

  /** The watch of `kind` delivers every change from `since` on. */
  connected(cluster: string, kind: string, since: number): void {
    this.#clusterKinds(cluster).set(kind, { since, up: true });
  }

  /** The watch closed; it may resume without a gap (`resumed`) or re-list (`connected`). */
  interrupted(cluster: string, kind: string): void {
    const watch = this.#kinds.get(cluster)?.get(kind);
    if (watch !== undefined) watch.up = false;
  }

  resumed(cluster: string, kind: string): void {
    const watch = this.#kinds.get(cluster)?.get(kind);
    if (watch !== undefined) watch.up = true;
  }

  /** The watch of `kind` is gone (no Application owns it, or the cluster left this worker). */
  closed(cluster: string, kind?: string): void {
    if (kind === undefined) this.#kinds.delete(cluster);
    else this.#kinds.get(cluster)?.delete(kind);
  }

  /** Someone other than Flotilla changed (or deleted) an object of the Application at `at`. */
  changed(cluster: string, appSet: string, application: string, at: number): void {
    this.#changed.set(appKey(cluster, appSet, application), at);
  }

  /**
   * True when each of `kinds` ("group/Kind") has been watched without a gap since `since` and nothing of the
   * Application was changed by someone else after it.
   */
  quietSince(cluster: string, appSet: string, application: string, kinds: readonly string[], since: number): boolean {
    const watches = this.#kinds.get(cluster);
    if (watches === undefined) return false;
    for (const kind of kinds) {
      const watch = watches.get(kind);
      if (watch === undefined || !watch.up || watch.since > since) return false;
    }
    return (this.#changed.get(appKey(cluster, appSet, application)) ?? Number.NEGATIVE_INFINITY) < since;
  }

  #clusterKinds(cluster: string): Map<string, KindWatch> {
    let kinds = this.#kinds.get(cluster);
    if (kinds === undefined) {
      kinds = new Map();
      this.#kinds.set(cluster, kinds);
    }
    return kinds;
  }
}

function appKey(cluster: string, appSet: string, application: string): string {
  return `${cluster}\u0000${appSet}/${application}`;
}
