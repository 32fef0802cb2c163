import { queueKeyPattern } from "@flotilla/queue";
import { type AgentReach, storeKeys } from "@flotilla/store";
import { statusKeyPatterns } from "./app-ref.ts";

/**
 * The keys of an agent's own work outside the store, for its Redis user (`store.agentUsers.create`): its queue
 * and its cluster's status, inventory and history. `prefix` is the store's (the queues live under `<prefix>bull`).
 */
export function agentReach(prefix: string, cluster: string): AgentReach {
  return { own: [queueKeyPattern(cluster, storeKeys(prefix).queuePrefix), ...statusKeyPatterns(prefix, cluster)] };
}
