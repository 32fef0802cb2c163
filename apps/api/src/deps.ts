import type { RepoReader } from "@flotilla/core";
import type { SyncQueues } from "@flotilla/queue";
import type { StatusStore } from "@flotilla/status";
import type { Store } from "@flotilla/store";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** What every route may use: the fleet's state and its queues. Routes take this, never a global. */
export interface ApiDeps {
  /** The connection the store and status share (a route may read a key the store has no verb for). */
  redis: Redis;
  /** The store's key prefix, so routes build keys with `storeKeys(prefix)` and nothing else. */
  prefix: string;
  store: Store;
  status: StatusStore;
  queues: SyncQueues;
  log: Logger;
  /** Git, for the git generators of `appsets/diff` and `appsets/preview` (FLOTILLA_ALLOW_LOCAL_REPOS etc.). */
  repos: RepoReader;
  /** Applications one diff or preview request may generate. @defaultValue 10 000 */
  maxPreviewApplications?: number;
}
