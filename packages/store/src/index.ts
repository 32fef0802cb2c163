export type { AgentIdentity, AgentReach } from "./agent-users.ts";
export { AgentUsers } from "./agent-users.ts";
export {
  API_TOKEN_PREFIX,
  type ApiPrincipal,
  type ApiScope,
  type ApiTokenRecord,
  ApiTokenStore,
  sameDigest,
  tokenDigest,
} from "./api-tokens.ts";
export type { CommitResult } from "./applications.ts";
export { ApplicationStore } from "./applications.ts";
export { type AppSetSource, AppSetSourceStore } from "./appset-sources.ts";
export type { BundleStoreOptions } from "./bundles.ts";
export { BundleStore, CorruptBundleError, defaultBundleStoreOptions } from "./bundles.ts";
export { ClusterContacts } from "./cluster-contacts.ts";
export type { ClusterApplication, ClusterLeftovers } from "./cluster-leftovers.ts";
export { ClusterApplications } from "./cluster-leftovers.ts";
export type {
  ClusterChange,
  ClusterChangeType,
  ClusterContact,
  ClusterCredentials,
  ClusterMode,
  ClusterRegistration,
  ClusterRemoval,
  ClusterWriteResult,
  RegisteredCluster,
} from "./cluster-types.ts";
export { validateRegistration } from "./cluster-validate.ts";
export type { ClusterWatchOptions, StopWatching } from "./cluster-watch.ts";
export type { AgentRegistration, AgentRegistrationResult, ClusterRegistryOptions } from "./clusters.ts";
export { ClusterRegistry } from "./clusters.ts";
export { decryptSecret, encryptSecret, KEY_BYTES, keyFingerprint } from "./crypto.ts";
export { DataEpoch } from "./data-epoch.ts";
export { ClusterNotFoundError, isClusterNotFoundError } from "./errors/cluster-not-found-error.ts";
export { DecryptError, isDecryptError } from "./errors/decrypt-error.ts";
export type { EncryptionKeyProblem } from "./errors/encryption-key-error.ts";
export { EncryptionKeyError, isEncryptionKeyError } from "./errors/encryption-key-error.ts";
export { isNoPermissionError } from "./errors/no-permission.ts";
export { isRedisPolicyError, RedisPolicyError, type RedisPolicyProblem } from "./errors/redis-policy-error.ts";
export { isStaleFenceError, StaleFenceError } from "./errors/stale-fence-error.ts";
export type { Fence, FenceOption, FenceProof } from "./fence.ts";
export { FENCE_CHECK, fenceProof, rethrowFence } from "./fence.ts";
export type {
  GenerationCounts,
  GenerationRecord,
  GenerationRecordInput,
  GenerationRecordOptions,
} from "./generation-record.ts";
export { generationRecordOf } from "./generation-record.ts";
export { GenerationSizeStore } from "./generation-sizes.ts";
export { GenerationStore } from "./generations.ts";
export type { HeldApplication, HoldDecision, HoldKind, HoldRecord } from "./holds.ts";
export { HoldStore } from "./holds.ts";
export type { KeySourceOptions } from "./key.ts";
export { KEY_ENV, KEY_FILE_ENV, loadEncryptionKey } from "./key.ts";
export type { StoreKeys } from "./keys.ts";
export { DEFAULT_PREFIX, storeKeys } from "./keys.ts";
export type { AgentLabelOutcome, LabelOwnership } from "./label-precedence.ts";
export { labelsOnAgentRegistration, ownershipOnRelabel } from "./label-precedence.ts";
export type { LeaseGrant, LeaseOptions } from "./lease.ts";
export { fenceOf, Lease } from "./lease.ts";
export type { LeaseKeeperOptions, LeaseLossReason } from "./lease-keeper.ts";
export { LeaseKeeper } from "./lease-keeper.ts";
export type { StoreLoggerOptions } from "./logger.ts";
export { createStoreLogger } from "./logger.ts";
export { type LostCluster, LostClusterRecords } from "./lost-clusters.ts";
export { LuaScript } from "./lua.ts";
export type { ClaimedName, ClaimOutcome } from "./owners.ts";
export { OwnerStore, ownerConflictMessage } from "./owners.ts";
export type { DeletionFailure, DeletionRef, PendingDeletion } from "./pending-deletions.ts";
export { PendingDeletionStore } from "./pending-deletions.ts";
export { holdingsReport, parseHoldingsReport, parseServedReport, readHoldingsReport } from "./pool-holdings.ts";
export type { ReconnectBackoff, RedisConnectionOptions } from "./redis-connection.ts";
export {
  connectRedis,
  observeConnection,
  reconnectDelayMs,
  redisConstructorArgs,
  redisEndpoint,
  subscribeWhenReady,
  untilReady,
} from "./redis-connection.ts";
export type { EvictionPolicyCheckOptions } from "./redis-policy.ts";
export { checkEvictionPolicy, SKIP_POLICY_CHECK_ENV } from "./redis-policy.ts";
export { isRedisUrlError, parseRedisUrl, type RedisTarget, RedisUrlError, redactRedisUrl } from "./redis-url.ts";
export {
  type RequestOutcome,
  type RolloutAction,
  type RolloutRequest,
  RolloutStore,
  type StagedChange,
} from "./rollouts.ts";
export type { Store, StoreOptions } from "./store.ts";
export { openStore } from "./store.ts";
