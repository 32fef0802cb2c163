import type { Application } from "@flotilla/core";
import { isFailedSource, type SyncSource } from "@flotilla/queue";

/** What preparing one Application's source came to. */
export type PreparedSource =
  /** Rendered and published, or failed in a way only a new commit can fix: either way the workers are told. */
  | { kind: "ready"; source: SyncSource }
  /** Git or a tool is unavailable now: what is in force stays, and the next cycle tries again. */
  | { kind: "transient"; message: string };

/** A repository and revision some Application tracks, and the commit it resolved to ("" when it did not). */
export interface TrackedRevision {
  repoURL: string;
  revision: string;
  commit: string;
}

/** One cycle's view of the source repositories: each is fetched at most once per cycle. */
export interface SourceCycle {
  /** The commit a revision points at now; undefined when it cannot be resolved. */
  resolve(repoURL: string, revision: string): Promise<string | undefined>;
  /** Resolves the Application's source, renders it once per unique input and publishes the bundle. */
  prepare(app: Application): Promise<PreparedSource>;
}

/**
 * Turns Applications into bundles the workers apply by digest, so that rendering happens once per unique input
 * for the whole fleet and agents need no Git access of their own.
 */
export interface SourcePreparer {
  cycle(): SourceCycle;
}

export function revisionOf(app: Application): { repoURL: string; revision: string } {
  return { repoURL: app.spec.source.repoURL, revision: trackedRevisionOf(app) };
}

function trackedRevisionOf(app: Application): string {
  const { targetRevision } = app.spec.source;
  return targetRevision === undefined || targetRevision === "" ? "HEAD" : targetRevision;
}

/** The distinct revisions the Applications track, each with the commit it resolves to in this cycle. */
export async function trackedRevisions(cycle: SourceCycle, apps: readonly Application[]): Promise<TrackedRevision[]> {
  // By repository, then revision: a fleet of a hundred thousand tracks a handful, and adding a known one to a set
  // allocates nothing, where a key per Application would build a string each.
  const distinct = new Map<string, Set<string>>();
  for (const app of apps) {
    const { repoURL } = app.spec.source;
    const revisions = distinct.get(repoURL) ?? distinct.set(repoURL, new Set()).get(repoURL)!;
    revisions.add(trackedRevisionOf(app));
  }
  const tracked = [...distinct].flatMap(([repoURL, revisions]) =>
    [...revisions].map((revision) => ({ repoURL, revision })),
  );
  return Promise.all(tracked.map(async (r) => ({ ...r, commit: (await cycle.resolve(r.repoURL, r.revision)) ?? "" })));
}

/** Whether every revision still resolves to the commit it did; an ApplicationSet whose sources moved regenerates. */
export async function revisionsUnchanged(cycle: SourceCycle, revisions: readonly TrackedRevision[]): Promise<boolean> {
  const now = await Promise.all(revisions.map((r) => cycle.resolve(r.repoURL, r.revision)));
  return revisions.every((r, i) => (now[i] ?? "") === r.commit);
}

/**
 * The desired digest of an Application: its spec and what its source rendered to, so that a new commit on a
 * source branch that changes the output is an update like a spec change — and one that does not (a commit
 * elsewhere in a shared repository) re-applies nothing. A failure counts by where and at which commit it happened,
 * not by its message: a tool's message may differ run to run (temporary paths), and the same failure must not
 * enqueue a job every cycle. Both parts are already digests, so joining them is enough; no hashing per Application.
 * The glossary of digests is in `@flotilla/core`'s `spec-digest.ts`.
 */
export function desiredDigestFrom(specDigest: string, source: SyncSource): string {
  return isFailedSource(source)
    ? `${specDigest}.failed-${source.failure.step}.${source.commit ?? ""}`
    : `${specDigest}.${source.bundle.slice("sha256:".length)}`;
}
