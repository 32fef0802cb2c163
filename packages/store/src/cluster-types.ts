import type { Cluster } from "@flotilla/core";

/** `pool`: a pool worker reaches the cluster with stored credentials. `agent`: an agent inside it pulls its work. */
export type ClusterMode = "pool" | "agent";

export type ClusterCredentials =
  | { kind: "kubeconfig"; kubeconfig: string }
  | { kind: "token"; token: string; caData?: string; insecureSkipTLSVerify?: boolean };

/** What a caller registers. Credentials are required in pool mode and refused in agent mode. */
export interface ClusterRegistration {
  name: string;
  server: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  mode: ClusterMode;
  credentials?: ClusterCredentials;
}

/** A registered cluster as readers see it: never its credentials, only whether it has some. */
export interface RegisteredCluster extends Cluster {
  mode: ClusterMode;
  hasCredentials: boolean;
  /** ISO time of the last change to the record. */
  updatedAt: string;
  /** Epoch ms of the agent's last heartbeat, when there was one. */
  lastSeen?: number;
  /** Set while the cluster is being removed (see `ClusterRegistry.markRemoving`). */
  removing?: ClusterRemoval;
}

/**
 * A cluster on its way out: generation treats it as absent, so its Applications are deleted from it through the
 * deletion guard; it stays registered (served, routable) until nothing of it is left, then the record goes.
 */
export interface ClusterRemoval {
  /** ISO time the removal was asked for. */
  since: string;
}

/** A pool worker's last contact with a cluster it serves. */
export interface ClusterContact {
  /** Epoch ms of the attempt. */
  at: number;
  reachable: boolean;
  /** The pool worker that made it. */
  worker: string;
  /** Why it was not reachable: the error's message, never a credential. */
  error?: string;
}

export type ClusterChangeType = "added" | "removed" | "updated";

/**
 * One registry change. `resync` means changes were missed (the event stream was trimmed, or Redis lost it) and the
 * consumer must re-read the whole registry; it is how a watcher guarantees nothing is lost forever.
 */
export type ClusterChange =
  | { type: ClusterChangeType; cluster: string; labelsChanged: boolean; version: number }
  | { type: "resync"; version: number };

/** Result of a write: what it did and the registry version after it. */
export interface ClusterWriteResult {
  change: ClusterChangeType | "unchanged";
  labelsChanged: boolean;
  version: number;
}
