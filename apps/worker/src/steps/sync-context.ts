import type { Application, Semaphore } from "@flotilla/core";
import type { ResourceManager } from "@flotilla/kube";
import type { SyncJob } from "@flotilla/queue";
import type { AppRef } from "@flotilla/status";
import type { Logger } from "pino";

/** What every step of one sync shares: the job, its cluster's manager, and a logger bound to both. */
export interface SyncContext {
  ref: AppRef;
  job: SyncJob;
  app: Application;
  manager: ResourceManager;
  log: Logger;
  /** Aborts when the worker shuts down past its drain time; steps stop between requests. */
  signal: AbortSignal;
  /**
   * The cluster's lanes: how many of this worker's syncs talk to its API server at once (`createWorkHandler`).
   * Absent, the sync takes none (tests that run one sync at a time).
   */
  lane?: Semaphore;
  /** This is the job's last attempt: a failure now is not retried, and the status must not promise it is. */
  finalAttempt?: boolean;
}
