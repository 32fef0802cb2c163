export { type AppRef, fieldOf, refOf, statusKeyPatterns } from "./app-ref.ts";
export { revisionAt } from "./history.ts";
export { StatusStore, type StatusStoreOptions, type SyncRecord } from "./status-store.ts";
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
