import type { Queue } from "bullmq";

/** Where one cluster's work stands, for the API, metrics and benchmarks. */
export interface ClusterQueueCounts {
  cluster: string;
  /** Ready to run (waiting or prioritized). */
  waiting: number;
  active: number;
  /** Waiting for a retry backoff or a throttle delay. */
  delayed: number;
  failed: number;
  completed: number;
  /** Applications whose latest desired state has not been applied yet. */
  pending: number;
}

export async function queueCounts(queue: Queue, cluster: string, pending: number): Promise<ClusterQueueCounts> {
  const c = await queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed", "completed");
  return {
    cluster,
    waiting: (c["wait"] ?? 0) + (c["prioritized"] ?? 0),
    active: c["active"] ?? 0,
    delayed: c["delayed"] ?? 0,
    failed: c["failed"] ?? 0,
    completed: c["completed"] ?? 0,
    pending,
  };
}
