/** BullMQ job names: what a job asks the worker to do. */
export const JOB_SYNC = "sync";
export const JOB_DELETE = "delete";
export type JobName = typeof JOB_SYNC | typeof JOB_DELETE;

/** Key prefix of every BullMQ key Flotilla writes (BullMQ's own default is `bull`). */
export const DEFAULT_QUEUE_PREFIX = "flotilla:bull";
export const SYNC_QUEUE_PREFIX = "flotilla-sync.";

// A DNS-1123 subdomain, as the registry enforces for cluster names: never a ':' (BullMQ refuses it in queue
// names, because it separates key parts) and never a character that needs escaping in a key.
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * The queue of one cluster's work. One queue per cluster is what isolates clusters: a slow or unreachable
 * cluster fills only its own queue, and an agent consumes only its own.
 */
export function queueNameFor(cluster: string): string {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new RangeError(
      `cannot derive a queue name from cluster name ${JSON.stringify(cluster)}: not a DNS-1123 subdomain`,
    );
  }
  return `${SYNC_QUEUE_PREFIX}${cluster}`;
}

/** The cluster a queue name belongs to, or undefined for queues that are not ours. */
export function clusterOfQueue(queueName: string): string | undefined {
  if (!queueName.startsWith(SYNC_QUEUE_PREFIX)) return undefined;
  const cluster = queueName.slice(SYNC_QUEUE_PREFIX.length);
  return CLUSTER_NAME.test(cluster) ? cluster : undefined;
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
