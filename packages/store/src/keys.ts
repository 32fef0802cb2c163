/** Default prefix for every key the store writes; tests pass their own so that runs never see each other's data. */
export const DEFAULT_PREFIX = "flotilla:";

/**
 * The store's whole Redis key layout in one place, so that a reader (or an operator with redis-cli) can see what
 * lives where without reading every verb.
 */
export interface StoreKeys {
  /** String: HMAC fingerprint of the encryption key the data was written with. */
  keyFingerprint: string;
  /** Hash: cluster name → cluster record JSON (no secrets). */
  clusters: string;
  /** Hash: cluster name → digest of the record and its credentials; decides "changed or not". */
  clusterDigests: string;
  /** Hash: cluster name → canonical labels JSON; decides `labelsChanged`. */
  clusterLabels: string;
  /** Hash: cluster name → encrypted credentials blob (pool mode only). */
  clusterCredentials: string;
  /**
   * String: an agent's last heartbeat, epoch ms. Kept apart so a heartbeat is not a change, and one key per cluster
   * so that an agent's Redis user can write its own and no other (see `AgentUsers`).
   */
  clusterHeartbeat(cluster: string): string;
  /**
   * String: JSON of a pool worker's last contact with a cluster it serves (`ClusterContact`: when, reachable or
   * not, which worker), refreshed at every rebalancing step; what `cluster get` shows as reachability.
   */
  clusterContact(cluster: string): string;
  /** String counter: bumped by every registry change. */
  clusterVersion: string;
  /** Stream: one entry per registry change, carrying the version it produced. */
  clusterEvents: string;
  /** Hash: Application name → desired digest, for one ApplicationSet. */
  appDesiredDigests(appSet: string): string;
  /** Hash: Application name → Application JSON, for one ApplicationSet. */
  appSpecs(appSet: string): string;
  /** Hash: Application name → JSON of its rendered source (commit and bundle digest, or why it failed). */
  appSources(appSet: string): string;
  /** String: a rendered bundle, gzipped JSON, by content digest; with a TTL renewed by reads. */
  bundle(digest: string): string;
  /** String: the digest a render input (see render's `renderKey`) produced; with the same TTL. */
  bundleByInput(inputKey: string): string;
  /** Hash: ApplicationSet name → generation record JSON. */
  generations: string;
  /** Hash: ApplicationSet name → JSON of the ApplicationSet as last read from Git: its file, commit and parsed spec. */
  appSetSources: string;
  /** Hash: `<appSet>/<application>` → pending deletion JSON, for one cluster (see `PendingDeletionStore`). */
  pendingDeletions(cluster: string): string;
  /** Hash: ApplicationSet name → hold record JSON (deletions the guard holds, or a removed ApplicationSet). */
  holds: string;
  /** Hash: ApplicationSet name → an operator's decision on its hold (release or dismiss), for the next cycle. */
  holdDecisions: string;
  /** Hash: ApplicationSet name → JSON of the held names an operator dismissed (kept, not held again as such). */
  holdsDismissed: string;
  /** Sorted set: `<epoch ms>:<size>` scored by epoch ms, the sizes an ApplicationSet had (the guard's baseline). */
  generationSizes(appSet: string): string;
  /** Hash: Application name → the ApplicationSet that owns that name on one cluster. */
  owners(cluster: string): string;
  /** Pub/sub channel: `{ reason, repoURLs? }` JSON asks the leading generator for a cycle now. */
  generatorTrigger: string;
  /** String: holder token of a lease, with a TTL. */
  lease(name: string): string;
  /** String counter: the fencing token of a lease, advanced at every acquisition (see lease.ts). */
  leaseFence(name: string): string;
  /** String: a random id written into an empty store; a process that finds it changed knows Redis lost its data. */
  dataEpoch: string;
  /** Hash: cluster name → JSON of a pool cluster whose record and credentials were lost with the Redis data. */
  lostClusters: string;
  /**
   * The workers' status model (packages/status). Status and inventory are one hash per cluster (one HGETALL shows
   * a cluster's state); history is one sorted set per Application, scored by time, so "what ran at T" is a reverse
   * range query. `app` is an Application's field within its cluster, `<appSet>/<application>`.
   */
  /** Hash: `<appSet>/<application>` → AppStatus JSON, for one cluster. */
  appStatus(cluster: string): string;
  /** Hash: `<appSet>/<application>` → Inventory JSON (what the Application owns; the prune input), for one cluster. */
  appInventory(cluster: string): string;
  /** Sorted set: HistoryEntry JSON scored by epoch ms, for one Application on one cluster. Trimmed only by length. */
  appHistory(cluster: string, app: string): string;
  /** Hash: `<appSet>/<application>` → SyncRequest JSON (a manual sync asked for and not yet honoured). */
  syncRequests(cluster: string): string;
  /** Sorted set: pool worker id scored by its last heartbeat, epoch ms. */
  poolWorkers: string;
  /** Hash: pool worker id → JSON list of the clusters it reported holding at its last heartbeat. */
  poolWorkerHoldings: string;
  /** Prefix of every BullMQ key (one queue per cluster, see packages/queue). */
  queuePrefix: string;
  /** Hash: API token name → its record JSON (scope, SHA-256 digest of the secret, when made); never the secret. */
  apiTokens: string;
  /** Hash: SHA-256 digest of an API token's secret → its name; answers "whose token is this" in one HGET. */
  apiTokenDigests: string;
}

export function storeKeys(prefix: string = DEFAULT_PREFIX): StoreKeys {
  return {
    keyFingerprint: `${prefix}meta:key-fingerprint`,
    clusters: `${prefix}clusters`,
    clusterDigests: `${prefix}clusters:digests`,
    clusterLabels: `${prefix}clusters:labels`,
    clusterCredentials: `${prefix}clusters:credentials`,
    clusterHeartbeat: (cluster) => `${prefix}clusters:heartbeat:${cluster}`,
    clusterContact: (cluster) => `${prefix}clusters:contact:${cluster}`,
    clusterVersion: `${prefix}clusters:version`,
    clusterEvents: `${prefix}clusters:events`,
    appDesiredDigests: (appSet) => `${prefix}apps:${appSet}:desired-digests`,
    appSpecs: (appSet) => `${prefix}apps:${appSet}:specs`,
    appSources: (appSet) => `${prefix}apps:${appSet}:sources`,
    bundle: (digest) => `${prefix}bundles:${digest}`,
    bundleByInput: (inputKey) => `${prefix}bundles:input:${inputKey}`,
    generations: `${prefix}generations`,
    appSetSources: `${prefix}appsets:sources`,
    pendingDeletions: (cluster) => `${prefix}deletions:pending:${cluster}`,
    holds: `${prefix}holds`,
    holdDecisions: `${prefix}holds:decisions`,
    holdsDismissed: `${prefix}holds:dismissed`,
    generationSizes: (appSet) => `${prefix}generations:${appSet}:sizes`,
    owners: (cluster) => `${prefix}owners:${cluster}`,
    generatorTrigger: `${prefix}generator:trigger`,
    lease: (name) => `${prefix}lease:${name}`,
    leaseFence: (name) => `${prefix}lease:${name}:fence`,
    dataEpoch: `${prefix}meta:data-epoch`,
    lostClusters: `${prefix}clusters:lost`,
    appStatus: (cluster) => `${prefix}status:${cluster}`,
    appInventory: (cluster) => `${prefix}inventory:${cluster}`,
    appHistory: (cluster, app) => `${prefix}history:${cluster}:${app}`,
    syncRequests: (cluster) => `${prefix}sync-requests:${cluster}`,
    poolWorkers: `${prefix}workers:pool`,
    poolWorkerHoldings: `${prefix}workers:pool:held`,
    queuePrefix: `${prefix}bull`,
    apiTokens: `${prefix}api:tokens`,
    apiTokenDigests: `${prefix}api:tokens:digests`,
  };
}
