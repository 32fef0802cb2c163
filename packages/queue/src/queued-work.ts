import { InvalidJobError } from "./errors/invalid-job-error.ts";
import { parseWorkItem, type WorkItem } from "./payloads.ts";

/** The data of a BullMQ job: the work item as enqueued, and the sequence number of its desired-state record. */
export interface QueuedWork {
  seq: number;
  item: WorkItem;
}

export function parseQueuedWork(data: unknown, what: string, expectedCluster?: string): QueuedWork {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InvalidJobError(what, ["(root): expected an object"]);
  }
  const { seq, item, ...rest } = data as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
    throw new InvalidJobError(what, ["seq: expected a positive integer"]);
  }
  if (extra.length > 0)
    throw new InvalidJobError(
      what,
      extra.map((k) => `${k}: unknown field`),
    );
  return { seq, item: parseWorkItem(item, what, expectedCluster) };
}
