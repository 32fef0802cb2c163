import type { Action, FieldDifference, HealthStatus, HookPhase } from "@flotilla/kube";

export type SyncStatus = "Synced" | "OutOfSync" | "Error";

/** Why the last sync did not finish: one per reconcile step, so an operator knows where it stopped. */
export type FailureReason =
  | "SourceFailed"
  | "RenderFailed"
  | "ApplyFailed"
  | "PruneFailed"
  | "HealthCheckFailed"
  | "HookFailed"
  | "SyncWaveFailed"
  | "DriftCheckFailed"
  | "DeleteFailed"
  | "InternalError";

export interface ResourceStatus {
  /** Inventory id, `group/kind/namespace/name`. */
  id: string;
  /** What the last sync did to it; `stale` when it left Git but was not pruned (prune is off). */
  action: Action | "stale";
  health: HealthStatus;
  /** The health verdict's words, or why the object failed. */
  message?: string;
  /** Set when the live object differs from Git (someone else changed it): where, as field paths. */
  drift?: string[];
  /**
   * The drifted fields with their values in Git and on the cluster (a Secret's values redacted), for `app get`.
   * Bounded per object and per status; absent when the object is missing or the status's budget ran out.
   */
  diff?: FieldDifference[];
  /** Set for a hook's Job: the phase it ran in. Hooks are not in the inventory; their delete policy removes them. */
  hook?: HookPhase;
}

/**
 * The hooks run for one desired state (bundle and desired digest): hooks run once per desired state, not on every
 * re-sync. A phase is listed once its hooks ended; one that failed is not run again until the desired state changes
 * or a sync is requested.
 */
export interface HookRun {
  desiredDigest: string;
  bundleDigest: string;
  phases: Partial<Record<HookPhase, "Succeeded" | "Failed">>;
  /** Why a phase failed: the hook Job and its reason. */
  message?: string;
  /** ISO-8601 of the last phase that ended. */
  at: string;
}

export interface LastError {
  reason: FailureReason;
  message: string;
  /** ISO-8601. */
  at: string;
  /** True when the job will be retried (an unreachable cluster, Git down); false for bad input. */
  retrying: boolean;
}

/** One Application's state on one cluster, as the last sync left it. */
export interface AppStatus {
  appSet: string;
  application: string;
  cluster: string;
  sync: SyncStatus;
  health: HealthStatus;
  healthMessage?: string;
  /** The source commit applied (the Application's targetRevision resolved). */
  revision?: string;
  /** The fleet repository commit the Application was generated from. */
  fleetRevision?: string;
  /** Content digest of the rendered bundle. */
  bundleDigest?: string;
  /** The job's desired digest last applied: with revision and digest, tells "nothing changed since". */
  desiredDigest?: string;
  /** ISO-8601 of the last sync attempt that reached the cluster or failed. */
  lastSyncAt: string;
  /**
   * Why the Application is OutOfSync when that is no error: its sync policy is manual (no `syncPolicy.automated`)
   * and what Git holds waits for a sync request.
   */
  syncMessage?: string;
  resources: ResourceStatus[];
  lastError?: LastError;
  /** What hooks ran for the desired state last applied; absent when its bundle has no hooks. */
  hooks?: HookRun;
}

/**
 * `Abandoned`: an operator gave up on a failed deletion; what was left stays on the cluster, unmanaged.
 * `HandedOver`: the Application name moved to another ApplicationSet (a rename in Git), its objects with it;
 * `Adopted`: the other side of that move, in the new ApplicationSet's history.
 */
export type HistoryResult = "Synced" | "OutOfSync" | "Error" | "Deleted" | "Abandoned" | "HandedOver" | "Adopted";

/** One entry of an Application's append-only history on a cluster. */
export interface HistoryEntry {
  /** Epoch ms. */
  at: number;
  result: HistoryResult;
  /** Source commit; absent when the sync failed before resolving one. */
  revision?: string;
  fleetRevision?: string;
  bundleDigest?: string;
  /** The queue job that did it, so two runs in the same millisecond stay distinct entries. */
  jobId: string;
  message?: string;
}
