export type { BackoffOptions } from "./backoff.ts";
export { applicationRetryDelay, attemptsFor, BACKOFF_TYPE, jitteredBackoff } from "./backoff.ts";
export type { CloseResult, ClusterWorker, ClusterWorkerOptions, WorkContext, WorkHandler } from "./cluster-worker.ts";
export { createClusterWorker } from "./cluster-worker.ts";
export type { ClusterQueueCounts } from "./counts.ts";
export type { DesiredKeys } from "./desired.ts";
export { desiredKeys } from "./desired.ts";
export { ClusterThrottledError, isClusterThrottledError } from "./errors/cluster-throttled-error.ts";
export { InvalidJobError, isInvalidJobError } from "./errors/invalid-job-error.ts";
export type { JobName } from "./names.ts";
export {
  clusterOfQueue,
  coalescingKey,
  DEFAULT_QUEUE_PREFIX,
  JOB_DELETE,
  JOB_SYNC,
  queueKeyPattern,
  queueNameFor,
  SYNC_QUEUE_PREFIX,
} from "./names.ts";
export type { DeleteJob, FailedSource, RenderedSource, SyncJob, SyncSource, WorkItem } from "./payloads.ts";
export { isFailedSource, parseWorkItem } from "./payloads.ts";
export type { QueuedWork } from "./queued-work.ts";
export { parseQueuedWork } from "./queued-work.ts";
export type { EnqueueResult, SyncQueuesOptions } from "./sync-queues.ts";
export { SyncQueues } from "./sync-queues.ts";
