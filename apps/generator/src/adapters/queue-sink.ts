import type { SyncQueues } from "@flotilla/queue";
import { type Fence, fenceProof, type StoreKeys } from "@flotilla/store";
import type { JobSink } from "../ports.ts";
import { NotLeaderError } from "./store-state.ts";

export interface QueueSinkOptions {
  queues: SyncQueues;
  /** The generator lease's current fence; undefined when this replica does not hold it. */
  fence: () => Fence | undefined;
  /** Where the fence's token lives. */
  keys: StoreKeys;
}

/**
 * Work goes to each cluster's own queue; SyncQueues coalesces per Application (latest desired state wins). Every
 * enqueue is fenced like the generator's store writes: a cycle that lost its lease enqueues nothing.
 */
export function queueSink(options: QueueSinkOptions): JobSink {
  return {
    enqueue: async (items) => {
      if (items.length === 0) return;
      const fence = options.fence();
      if (fence === undefined) throw new NotLeaderError();
      await options.queues.enqueueAll(items, undefined, { fence: fenceProof(options.keys, fence) });
    },
  };
}
