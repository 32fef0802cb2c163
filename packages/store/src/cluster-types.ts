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
