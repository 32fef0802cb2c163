import type { HealthStatus } from "@flotilla/kube";
import type { AppStatus, SyncStatus } from "./types.ts";

/**
 * One Application on one cluster in a line: what `flotilla status` lists as wrong and what the event stream sends.
 * No resources: a reader that wants them asks for the Application itself.
 */
export interface AppSummary {
  appSet: string;
  application: string;
  cluster: string;
  sync: SyncStatus;
  health: HealthStatus;
  revision?: string;
  /** ISO-8601 of the last sync attempt. */
  lastSyncAt: string;
  /** Why it is not Synced and Healthy, in a person's words: the last error, the manual-sync note, the health verdict. */
  message?: string;
}

export function appSummaryOf(status: AppStatus): AppSummary {
  const message = status.lastError
    ? `${status.lastError.reason}: ${status.lastError.message}${status.lastError.retrying ? " (retrying)" : ""}`
    : (status.syncMessage ?? (status.health !== "Healthy" ? status.healthMessage : undefined));
  return {
    appSet: status.appSet,
    application: status.application,
    cluster: status.cluster,
    sync: status.sync,
    health: status.health,
    ...(status.revision !== undefined && { revision: status.revision }),
    lastSyncAt: status.lastSyncAt,
    ...(message !== undefined && message !== "" && { message }),
  };
}

/** Error, OutOfSync or Degraded: not what Git asks for, or not working. */
export function isUnwell(status: Pick<AppStatus, "sync" | "health">): boolean {
  return status.sync !== "Synced" || status.health === "Degraded";
}
