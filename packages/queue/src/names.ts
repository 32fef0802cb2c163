import { clusterNameProblem, isClusterName } from "@flotilla/core";

/** BullMQ job names: what a job asks the worker to do. */
export const JOB_SYNC = "sync";
export const JOB_DELETE = "delete";
export type JobName = typeof JOB_SYNC | typeof JOB_DELETE;

/** Key prefix of every BullMQ key Flotilla writes (BullMQ's own default is `bull`). */
export const DEFAULT_QUEUE_PREFIX = "flotilla:bull";
export const SYNC_QUEUE_PREFIX = "flotilla-sync.";

/**
 * The queue of one cluster's work. One queue per cluster is what isolates clusters: a slow or unreachable
 * cluster fills only its own queue, and an agent consumes only its own.
 */
export function queueNameFor(cluster: string): string {
  // The cluster-name rule keeps ':' (BullMQ's key separator) and anything needing escape out of queue names.
  const problem = clusterNameProblem(cluster);
  if (problem !== undefined) {
    throw new RangeError(`cannot derive a queue name from cluster name ${JSON.stringify(cluster)}: ${problem}`);
  }
  return `${SYNC_QUEUE_PREFIX}${cluster}`;
}

/** The cluster a queue name belongs to, or undefined for queues that are not ours. */
export function clusterOfQueue(queueName: string): string | undefined {
  if (!queueName.startsWith(SYNC_QUEUE_PREFIX)) return undefined;
  const cluster = queueName.slice(SYNC_QUEUE_PREFIX.length);
  return isClusterName(cluster) ? cluster : undefined;
}

/** What coalescing is keyed on: one Application of one ApplicationSet (within its cluster's queue). */
export function coalescingKey(appSet: string, application: string): string {
  return `${appSet}/${application}`;
}

/**
 * Every Redis key of one cluster's queue (BullMQ names its keys `<prefix>:<queue>:<part>`), as an ACL glob
 * pattern: what an agent's own Redis user may touch of the queues, and nothing of another cluster's.
 */
export function queueKeyPattern(cluster: string, prefix: string = DEFAULT_QUEUE_PREFIX): string {
  return `${prefix}:${queueNameFor(cluster)}:*`;
}
