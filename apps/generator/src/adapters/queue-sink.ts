import type { SyncQueues } from "@flotilla/queue";
import type { JobSink } from "../ports.ts";

/** Work goes to each cluster's own queue; SyncQueues coalesces per Application (latest desired state wins). */
export function queueSink(queues: SyncQueues): JobSink {
  return {
    enqueue: async (items) => {
      if (items.length > 0) await queues.enqueueAll(items);
    },
  };
}
