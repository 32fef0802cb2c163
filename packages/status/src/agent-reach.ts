import { queueKeyPattern } from "@flotilla/queue";
import { type AgentReach, storeKeys } from "@flotilla/store";
import { statusKeyPatterns, statusWriteOnlyKeys } from "./app-ref.ts";

/**
 * The keys of an agent's own work outside the store, for its Redis user (`store.agentUsers.create`): its queue
 * and its cluster's status, inventory and history; and, write-only, the status event stream its status writes
 * append to. `prefix` is the store's (the queues live under `<prefix>bull`).
 */
export function agentReach(prefix: string, cluster: string): AgentReach {
  return {
    own: [queueKeyPattern(cluster, storeKeys(prefix).queuePrefix), ...statusKeyPatterns(prefix, cluster)],
    writeOnly: statusWriteOnlyKeys(prefix),
  };
}
