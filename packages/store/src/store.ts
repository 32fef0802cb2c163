import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { AgentUsers } from "./agent-users.ts";
import { ApiTokenStore } from "./api-tokens.ts";
import { ApplicationStore } from "./applications.ts";
import { AppSetSourceStore } from "./appset-sources.ts";
import { BundleStore, type BundleStoreOptions } from "./bundles.ts";
import { ClusterContacts } from "./cluster-contacts.ts";
import { ClusterApplications } from "./cluster-leftovers.ts";
import { ClusterRegistry, type ClusterRegistryOptions } from "./clusters.ts";
import { keyFingerprint } from "./crypto.ts";
import { DataEpoch } from "./data-epoch.ts";
import { EncryptionKeyError } from "./errors/encryption-key-error.ts";
import { GenerationSizeStore } from "./generation-sizes.ts";
import { GenerationStore } from "./generations.ts";
import { HoldStore } from "./holds.ts";
import { missingKeyError } from "./key.ts";
import { DEFAULT_PREFIX, type StoreKeys, storeKeys } from "./keys.ts";
import { Lease, type LeaseOptions } from "./lease.ts";
import { createStoreLogger } from "./logger.ts";
import { LostClusterRecords } from "./lost-clusters.ts";
import { OwnerStore } from "./owners.ts";
import { PendingDeletionStore } from "./pending-deletions.ts";

export interface StoreOptions {
  /** The connection to use; the caller owns it and closes it after the store. */
  redis: Redis;
  /** Prefix of every key. @defaultValue `"flotilla:"` */
  prefix?: string;
  /** The 32-byte credentials key, usually from `loadEncryptionKey()`. @defaultValue none */
  encryptionKey?: Buffer;
  /**
   * Whether this process reads or writes cluster credentials. The generator only needs labels: it passes false and
   * runs without the key, so the key lives only where it is used. @defaultValue true
   */
  needsCredentials?: boolean;
  /** @defaultValue a pino logger named `flotilla:store` with credentials redacted */
  log?: Logger;
  clusters?: ClusterRegistryOptions;
  bundles?: Partial<BundleStoreOptions>;
}

export interface Store {
  readonly keys: StoreKeys;
  readonly clusters: ClusterRegistry;
  /** Each cluster's Applications as the store holds them: counted, checked for leftovers, forgotten. */
  readonly clusterApplications: ClusterApplications;
  /** The pool workers' last contact with each cluster: its reachability. */
  readonly clusterContacts: ClusterContacts;
  readonly applications: ApplicationStore;
  readonly generations: GenerationStore;
  /** Each ApplicationSet as the generator last read it: its file, commit and parsed spec. */
  readonly appSetSources: AppSetSourceStore;
  /** Deletes that failed and are still owed, retried until done, the cluster is removed or they are abandoned. */
  readonly pendingDeletions: PendingDeletionStore;
  /** The sizes each ApplicationSet's generation had: the deletion guard's baseline. */
  readonly generationSizes: GenerationSizeStore;
  /** Held deletions, and operators' release or dismiss decisions on them. */
  readonly holds: HoldStore;
  /** Which ApplicationSet owns each Application name on each cluster. */
  readonly owners: OwnerStore;
  /** Rendered bundles shared by the generator, the workers and the agents. */
  readonly bundles: BundleStore;
  /** Per-agent Redis users: what an agent's Redis identity may reach. */
  readonly agentUsers: AgentUsers;
  /** A named lease (e.g. `generator`) for leader election. */
  lease(name: string, options?: LeaseOptions): Lease;
  /** Tells a process that Redis lost its data since it last looked. */
  readonly dataEpoch: DataEpoch;
  /** Pool clusters lost with the Redis data, until they are registered again. */
  readonly lostClusters: LostClusterRecords;
  /** The API's bearer tokens, stored as digests. */
  readonly apiTokens: ApiTokenStore;
}

/**
 * Opens the store and checks the encryption key before anything else happens: a key other than the one the data
 * was written with, or no key while encrypted credentials exist, stops the process at startup rather than at the
 * first sync that needs a secret.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const keys = storeKeys(prefix);
  const { redis, encryptionKey } = options;
  const log = options.log ?? createStoreLogger();
  await checkEncryptionKey(redis, keys, encryptionKey, options.needsCredentials ?? true);
  return {
    keys,
    clusters: new ClusterRegistry(redis, keys, encryptionKey, log, options.clusters),
    clusterApplications: new ClusterApplications(redis, keys),
    clusterContacts: new ClusterContacts(redis, keys),
    applications: new ApplicationStore(redis, keys),
    generations: new GenerationStore(redis, keys),
    appSetSources: new AppSetSourceStore(redis, keys),
    pendingDeletions: new PendingDeletionStore(redis, keys),
    generationSizes: new GenerationSizeStore(redis, keys),
    holds: new HoldStore(redis, keys),
    owners: new OwnerStore(redis, keys),
    bundles: new BundleStore(redis, keys, options.bundles),
    agentUsers: new AgentUsers(redis, keys, prefix),
    lease: (name, leaseOptions) => new Lease(redis, keys, name, leaseOptions),
    dataEpoch: new DataEpoch(redis, keys),
    lostClusters: new LostClusterRecords(redis, keys),
    apiTokens: new ApiTokenStore(redis, keys),
  };
}

async function checkEncryptionKey(
  redis: Redis,
  keys: StoreKeys,
  key: Buffer | undefined,
  needsCredentials: boolean,
): Promise<void> {
  if (key === undefined) {
    if (!needsCredentials) return;
    const stored = await redis.hlen(keys.clusterCredentials);
    if (stored > 0) throw missingKeyError(`${stored} cluster(s) have encrypted credentials but no key is configured`);
    return;
  }
  const fingerprint = keyFingerprint(key);
  // First start writes the fingerprint; every later start must match it.
  const created = await redis.set(keys.keyFingerprint, fingerprint, "NX");
  if (created === "OK") return;
  const existing = await redis.get(keys.keyFingerprint);
  if (existing !== fingerprint) {
    throw new EncryptionKeyError(
      "mismatch",
      `the configured encryption key is not the one this Redis data was written with (fingerprint at ${keys.keyFingerprint}); ` +
        "start with the original key; to rotate, re-register every cluster's credentials under the new key after deleting that fingerprint",
    );
  }
}
