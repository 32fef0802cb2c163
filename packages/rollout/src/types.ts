import type { MaxUpdate } from "@flotilla/core";

/**
 * Where one changed Application stands in its rollout.
 * - `Waiting`: its step has not started; the workers keep reconciling it at its previous desired state.
 * - `Pending`: its step started, and it waits for a slot (`maxUpdate`) or for `promote` (a manual gate).
 * - `Progressing`: released; its new desired state is in force and the rollout waits for it.
 * - `Healthy`: Synced at the new desired digest and Healthy (for a deletion: gone from its cluster).
 * - `Halted`: Degraded at the new desired digest, or failed for good; the rollout stops on it.
 */
export type RolloutAppState = "Waiting" | "Pending" | "Progressing" | "Healthy" | "Halted";

/**
 * Where one step stands: `Waiting` for earlier steps, `Gated` (a manual gate waiting for `promote`),
 * `Progressing`, `Halted` (one of its Applications halted the rollout) or `Completed`.
 */
export type RolloutStepState = "Waiting" | "Gated" | "Progressing" | "Halted" | "Completed";

export type RolloutPhase = "Progressing" | "Halted" | "Completed";

/** A change a rollout carries: an Application's new desired state, or its deletion. */
export type RolloutChange = "update" | "delete";

export interface RolloutApp {
  application: string;
  cluster: string;
  change: RolloutChange;
  /** Index into the rollout's `steps`. */
  step: number;
  /** The desired digest an update must reach; absent for a deletion. */
  desiredDigest?: string;
  state: RolloutAppState;
  /** ISO times: when its new state was released, and when it was seen done. */
  releasedAt?: string;
  doneAt?: string;
  /** Why it halted, or what it waits for. */
  message?: string;
  /** An operator resumed past it while it was halted: it is no longer waited for. */
  waived?: boolean;
}

/**
 * One step of the rollout as it runs. Updates run through the ApplicationSet's steps in order, Applications
 * matching no step last; deletions then run in the reverse order (unmatched first, the first step last).
 */
export interface RolloutStep {
  /** The step of `spec.strategy.rollingSync.steps` (0-based), or null for Applications matching no step. */
  index: number | null;
  change: RolloutChange;
  maxUpdate: MaxUpdate;
  state: RolloutStepState;
  /** Set once an operator passed this step's manual gate. */
  promoted?: boolean;
  startedAt?: string;
  completedAt?: string;
}

export interface RolloutCondition {
  reason: "Degraded" | "SyncFailed" | "DeleteFailed";
  application: string;
  cluster: string;
  message: string;
  /** ISO time. */
  at: string;
}

/** One ApplicationSet's rollout of one change set (a generation's changed Applications). */
export interface Rollout {
  /** Identifies this change set: a newer commit changing other things starts a rollout with a new id. */
  id: string;
  appSet: string;
  /** The fleet commit whose generation this rollout carries. */
  commit: string;
  startedAt: string;
  updatedAt: string;
  phase: RolloutPhase;
  steps: RolloutStep[];
  applications: RolloutApp[];
  /** Why the rollout halted (the first Application that did). */
  condition?: RolloutCondition;
}

/** What the workers last reported for one Application of a rollout. */
export interface Observation {
  /** Its status on its cluster; absent when it has none (never synced, or deleted). */
  status?: {
    desiredDigest?: string;
    sync: "Synced" | "OutOfSync" | "Error";
    health: string;
    healthMessage?: string;
    /** The last error's message and whether the worker will retry it. */
    error?: { message: string; retrying: boolean };
  };
  /** Its deletion failed and is owed (a pending deletion): the last error. */
  deletionFailed?: string;
}
