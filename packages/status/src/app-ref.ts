import { storeKeys } from "@flotilla/store";

/** An Application on a cluster: the unit every status, inventory and history record is kept for. */
export interface AppRef {
  cluster: string;
  appSet: string;
  application: string;
}

/** The hash field naming an Application within its cluster's hashes. */
export function fieldOf(ref: Pick<AppRef, "appSet" | "application">): string {
  return `${ref.appSet}/${ref.application}`;
}

/** The Application a hash field names; undefined for a field this model did not write. */
export function refOf(cluster: string, field: string): AppRef | undefined {
  const slash = field.indexOf("/");
  if (slash <= 0 || slash === field.length - 1) return undefined;
  return { cluster, appSet: field.slice(0, slash), application: field.slice(slash + 1) };
}

/** Every status, inventory, history and sync-request key of one cluster, as ACL glob patterns (see `agentReach`). */
export function statusKeyPatterns(prefix: string, cluster: string): string[] {
  const keys = storeKeys(prefix);
  return [
    keys.appStatus(cluster),
    keys.appVerdicts(cluster),
    keys.appInventory(cluster),
    keys.appHistory(cluster, "*"),
    keys.syncRequests(cluster),
  ];
}

/** The fleet-wide keys a cluster's status writes append to and must not read (see `AgentReach.writeOnly`). */
export function statusWriteOnlyKeys(prefix: string): string[] {
  return [storeKeys(prefix).statusEvents];
}
