export type { AgentIdentity, AgentReach } from "./agent-users.ts";
export { AgentUsers } from "./agent-users.ts";
export type { CommitResult } from "./applications.ts";
export { ApplicationStore } from "./applications.ts";
export type { BundleStoreOptions } from "./bundles.ts";
export { BundleStore, CorruptBundleError, defaultBundleStoreOptions } from "./bundles.ts";
export type {
  ClusterChange,
  ClusterChangeType,
  ClusterCredentials,
  ClusterMode,
  ClusterRegistration,
  ClusterWriteResult,
  RegisteredCluster,
} from "./cluster-types.ts";
export { validateRegistration } from "./cluster-validate.ts";
export type { ClusterWatchOptions, StopWatching } from "./cluster-watch.ts";
export type { ClusterRegistryOptions } from "./clusters.ts";
export { ClusterRegistry } from "./clusters.ts";
export { decryptSecret, encryptSecret, KEY_BYTES, keyFingerprint } from "./crypto.ts";
export { ClusterNotFoundError, isClusterNotFoundError } from "./errors/cluster-not-found-error.ts";
export { DecryptError, isDecryptError } from "./errors/decrypt-error.ts";
export type { EncryptionKeyProblem } from "./errors/encryption-key-error.ts";
export { EncryptionKeyError, isEncryptionKeyError } from "./errors/encryption-key-error.ts";
export { isNoPermissionError } from "./errors/no-permission.ts";
export { isStaleFenceError, StaleFenceError } from "./errors/stale-fence-error.ts";
export type { Fence, FenceOption } from "./fence.ts";
export type {
  GenerationCounts,
  GenerationRecord,
  GenerationRecordInput,
  GenerationRecordOptions,
} from "./generation-record.ts";
export { generationRecordOf } from "./generation-record.ts";
export { GenerationStore } from "./generations.ts";
export type { KeySourceOptions } from "./key.ts";
export { KEY_ENV, KEY_FILE_ENV, loadEncryptionKey } from "./key.ts";
export type { StoreKeys } from "./keys.ts";
export { DEFAULT_PREFIX, storeKeys } from "./keys.ts";
export type { LeaseGrant, LeaseOptions } from "./lease.ts";
export { fenceOf, Lease } from "./lease.ts";
export type { LeaseKeeperOptions, LeaseLossReason } from "./lease-keeper.ts";
export { LeaseKeeper } from "./lease-keeper.ts";
export type { StoreLoggerOptions } from "./logger.ts";
export { createStoreLogger } from "./logger.ts";
export { LuaScript } from "./lua.ts";
export type { Store, StoreOptions } from "./store.ts";
export { openStore } from "./store.ts";
