import type { Application } from "@flotilla/core";

/** What an Application's source came to when it was last prepared. */
export interface PreparedEntry {
  /** `<spec digest>.<commit>`: what the desired digest was made from. */
  from: string;
  desiredDigest: string;
}

/** The same, for one rendered Application object: its tracked revision (`<repoURL>\0<revision>`) and commit. */
interface PreparedObject {
  revision: string;
  commit: string;
  desiredDigest: string;
}

/**
 * What each Application's source last came to, so that one whose spec and resolved commit are unchanged is not
 * prepared again (see the cycle's `prepareSources`). By name, for any generation; and by the rendered object
 * itself, which a generation memo hands out again while the Application is unchanged: that check needs no digest
 * and no key built per Application, which is what a push costs for the unchanged tens of thousands.
 * Owned by the caller for one lease term.
 */
export class PreparedMemo {
  #byName = new Map<string, PreparedEntry>();
  #byObject = new WeakMap<Application, PreparedObject>();

  clear(): void {
    this.#byName.clear();
    this.#byObject = new WeakMap();
  }

  get(appSet: string, application: string): PreparedEntry | undefined {
    return this.#byName.get(`${appSet}\0${application}`);
  }

  /** The desired digest this very object was given, if its revision still resolves to the same commit. */
  ofObject(app: Application, commits: ReadonlyMap<string, string | undefined>): string | undefined {
    const seen = this.#byObject.get(app);
    if (seen === undefined || commits.get(seen.revision) !== seen.commit) return undefined;
    return seen.desiredDigest;
  }

  set(appSet: string, app: Application, entry: PreparedEntry & { revision: string; commit: string }): void {
    this.#byName.set(`${appSet}\0${app.metadata.name}`, { from: entry.from, desiredDigest: entry.desiredDigest });
    this.#byObject.set(app, { revision: entry.revision, commit: entry.commit, desiredDigest: entry.desiredDigest });
  }

  /** How many Applications are remembered by name (tests). */
  get size(): number {
    return this.#byName.size;
  }
}
