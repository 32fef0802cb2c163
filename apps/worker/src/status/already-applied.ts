import type { AppStatus } from "@flotilla/status";

/** What a job asks for, as far as deciding whether it brings anything to apply. */
export interface WantedState {
  /** The source commit the job was rendered from. */
  revision: string;
  /** The bundle the job names. */
  bundleDigest: string;
  desiredDigest: string;
}

/**
 * Whether a job brings a new commit and nothing else: the bundle it names and the Application's spec are the ones
 * the last sync applied and found in sync, so applying would only restamp the objects. A push that changes one
 * app's files gives every Application that tracks the branch a new commit; only the changed one has work. Whether
 * the cluster still holds what was applied is a separate question (the caller asks the drift watches).
 */
export function alreadyApplied(last: AppStatus | undefined, wanted: WantedState): last is AppStatus {
  return (
    last !== undefined &&
    last.sync === "Synced" &&
    last.lastError === undefined &&
    last.revision !== wanted.revision &&
    last.bundleDigest === wanted.bundleDigest &&
    last.desiredDigest === wanted.desiredDigest
  );
}

/**
 * The status of an Application moved to a new commit whose bundle it already runs. Nothing on the cluster was
 * touched or read, so its resources, health and `lastSyncAt` (the last full check, which the watches vouch from)
 * stay as they were.
 */
export function advancedStatus(last: AppStatus, to: { revision: string; fleetRevision: string }): AppStatus {
  return { ...last, revision: to.revision, fleetRevision: to.fleetRevision };
}
