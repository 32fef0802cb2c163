export { agentReach } from "./agent-reach.ts";
export { type AppRef, fieldOf, refOf, statusKeyPatterns } from "./app-ref.ts";
export { entryAt, revisionAt } from "./history.ts";
export { StatusStore, type StatusStoreOptions, type SyncRecord } from "./status-store.ts";
export {
  type RefreshOutcome,
  requestRefresh,
  requestSync,
  type SyncRequestInput,
  type SyncRequestOutcome,
  type SyncRequestTarget,
} from "./sync-request.ts";
export { type SyncRequest, SyncRequests } from "./sync-requests.ts";
export type {
  AppStatus,
  FailureReason,
  HistoryEntry,
  HistoryResult,
  HookRun,
  LastError,
  ResourceStatus,
  SyncStatus,
} from "./types.ts";
