import type { FenceProof } from "@flotilla/store";
import { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { attemptsFor, BACKOFF_TYPE } from "./backoff.ts";
import { type ClusterQueueCounts, queueCounts } from "./counts.ts";
import { type DesiredKeys, desiredKeys, pendingDesired, recordDesired } from "./desired.ts";
import { coalescingKey, DEFAULT_QUEUE_PREFIX, JOB_DELETE, JOB_SYNC, queueNameFor } from "./names.ts";
import type { DeleteJob, SyncJob, WorkItem } from "./payloads.ts";
import type { QueuedWork } from "./queued-work.ts";

export interface SyncQueuesOptions {
  /** Shared connection; the caller owns it and closes it after `close()`. */
  connection: Redis;
  /** Key prefix of the queues; producers and workers must agree. @defaultValue `"flotilla:bull"` */
  prefix?: string;
  /**
   * Attempts per job before it fails for good (retries use `jitteredBackoff` on the worker). A sync of an
   * Application with `syncPolicy.retry` gets `limit + 1` instead, on its schedule. @defaultValue 8
   */
  attempts?: number;
  /** Failed jobs kept per cluster queue for inspection. @defaultValue 1000 */
  keepFailed?: number;
  log?: Logger;
}

/**
 * How soon a job should run. `prompt`: something happened (a commit, an edit on the cluster); `periodic`: the
 * re-sync backstop, which runs only when no prompt work waits on the cluster's queue.
 */
export type Lane = "prompt" | "periodic";

export interface EnqueueOptions {
  /** @defaultValue "prompt" */
  lane?: Lane;
  /**
   * The producer's lease: the enqueue records and adds nothing (StaleFenceError) unless it is still current,
   * checked atomically with the desired-state write. @defaultValue unfenced
   */
  fence?: FenceProof;
}

// BullMQ runs jobs without a priority before every prioritized one, so prompt work carries none and periodic work
// the lowest urgency we use; adding a prioritized job is O(log n), paid only by the backstop.
const PERIODIC_PRIORITY = 1;
// Periodic jobs carry their own ids so that a prompt add which BullMQ deduplicated into one sees it from the id it
// gets back, without a lookup on every add.
const PERIODIC_JOB_ID = "periodic-";

export interface EnqueueResult {
  /** The job that will carry this state: a new one, or the one it coalesced into. */
  jobId: string;
  /** Sequence number of this desired state on its cluster's queue; 0 when a periodic add was skipped. */
  seq: number;
}

/**
 * Producer side of the per-cluster work queues.
 *
 * Coalescing (per Application, within its cluster's queue), "the latest desired state wins":
 * 1. The desired state is written to a side record (`desired.ts`) under a fresh sequence number, then a job is
 *    added with BullMQ deduplication `{ id: "<appSet>/<application>", keepLastIfActive: true }`.
 * 2. No job for the Application yet → a new job waits.
 * 3. A job already waits (or waits for a retry) → nothing is added (BullMQ deduplicates); that job reads the side
 *    record when it starts, so it applies the newest state, not the one it was created with. A burst of 50
 *    triggers therefore leaves one waiting job, which applies trigger 50.
 * 4. A job is active → BullMQ keeps the latest add aside and creates exactly one follow-up job when the active one
 *    finishes; the follow-up reads the side record. A state arriving while a sync runs is never lost and never
 *    runs concurrently with it: at most one active and one waiting job per Application.
 * 5. A worker that finishes removes the side record only if its sequence number is still the latest; a follow-up
 *    that then finds no record knows its state was already applied and skips.
 * Sync and delete share the key, so a delete overtakes a pending sync of the same Application and the reverse.
 *
 * Lanes: periodic work waits behind prompt work. A periodic add for an Application with pending work is skipped
 * (that work reads the latest state anyway), and a prompt add absorbed by a waiting periodic job promotes it.
 */
export class SyncQueues {
  readonly prefix: string;
  readonly #connection: Redis;
  readonly #attempts: number;
  readonly #keepFailed: number;
  readonly #queues = new Map<string, { queue: Queue; keys: DesiredKeys }>();
  readonly #log: Logger | undefined;

  constructor(options: SyncQueuesOptions) {
    this.#connection = options.connection;
    this.prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.#attempts = options.attempts ?? 8;
    this.#keepFailed = options.keepFailed ?? 1000;
    this.#log = options.log;
  }

  async enqueueSync(job: SyncJob, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    return await this.#enqueue({ kind: JOB_SYNC, job }, options.lane ?? "prompt", options.fence);
  }

  /** `periodic`: the sweep retrying a pending deletion, skipped while other work for the Application waits. */
  async enqueueDelete(job: DeleteJob, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    return await this.#enqueue({ kind: JOB_DELETE, job }, options.lane ?? "prompt", options.fence);
  }

  /**
   * Enqueues many items with a bounded number in flight, which keeps the connection's pipeline full without
   * queueing 100,000 promises at once.
   */
  async enqueueAll(items: readonly WorkItem[], inFlight = 256, options: EnqueueOptions = {}): Promise<EnqueueResult[]> {
    const lane = options.lane ?? "prompt";
    const results: EnqueueResult[] = new Array(items.length);
    let next = 0;
    const drain = async (): Promise<void> => {
      while (next < items.length) {
        const i = next++;
        results[i] = await this.#enqueue(items[i]!, lane, options.fence);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, drain));
    return results;
  }

  /** Jobs of a cluster ready to run. */
  async waitingCount(cluster: string): Promise<number> {
    return (await this.counts(cluster)).waiting;
  }

  async counts(cluster: string): Promise<ClusterQueueCounts> {
    const { queue, keys } = this.#queue(cluster);
    return await queueCounts(queue, cluster, await pendingDesired(this.#connection, keys));
  }

  /** The BullMQ queue of a cluster, for inspection (events, job lookup); enqueue through this class. */
  queue(cluster: string): Queue {
    return this.#queue(cluster).queue;
  }

  async close(): Promise<void> {
    const queues = [...this.#queues.values()];
    this.#queues.clear();
    await Promise.all(queues.map(({ queue }) => queue.close()));
  }

  async #enqueue(item: WorkItem, lane: Lane, fence: FenceProof | undefined): Promise<EnqueueResult> {
    const { queue, keys } = this.#queue(item.job.cluster);
    const id = coalescingKey(item.job.appSet, item.job.application);
    // A job still waiting, running or retrying reads the latest state anyway. (The desired record alone would not
    // do: a job that failed for good leaves it behind, and the periodic re-sync is what tries such an app again.)
    if (lane === "periodic" && (await queue.getDeduplicationJobId(id)) !== null) return { jobId: "", seq: 0 };
    // Record first: a job that is already waiting must find this state when it starts. The record is the fenced
    // write; a job is added only after it, so a stale producer adds none.
    const seq = await recordDesired(this.#connection, keys, id, JSON.stringify(item), fence);
    const data: QueuedWork = { seq, item };
    const added = await queue.add(item.kind, data, {
      deduplication: { id, keepLastIfActive: true },
      // Fixed when the job is created: a later state coalesced into the same job keeps its attempts.
      attempts: attemptsFor(item.kind === JOB_SYNC ? item.job.app : undefined, this.#attempts),
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: true,
      removeOnFail: { count: this.#keepFailed },
      ...(lane === "periodic" ? { priority: PERIODIC_PRIORITY, jobId: `${PERIODIC_JOB_ID}${seq}` } : {}),
    });
    const jobId = added.id ?? "";
    if (lane === "prompt" && jobId.startsWith(PERIODIC_JOB_ID)) await this.#promote(queue, jobId);
    this.#log?.debug(
      { cluster: item.job.cluster, appset: item.job.appSet, app: item.job.application, seq, jobId, lane },
      "work enqueued",
    );
    return { jobId, seq };
  }

  /** Moves a waiting periodic job ahead of the periodic backlog: it now carries prompt work. */
  async #promote(queue: Queue, jobId: string): Promise<void> {
    const job = await Job.fromId(queue, jobId);
    if (job === undefined) return;
    try {
      await job.changePriority({ priority: 0 });
    } catch (err) {
      // Taken by a worker or finished between the lookup and the change: it no longer waits, so there is nothing
      // to promote (and the state this add recorded is read by that run or its follow-up). Anything else is real.
      const state = await job.getState().catch(() => "unknown");
      if (state === "waiting" || state === "prioritized" || state === "delayed") throw err;
    }
  }

  #queue(cluster: string): { queue: Queue; keys: DesiredKeys } {
    let entry = this.#queues.get(cluster);
    if (entry === undefined) {
      const name = queueNameFor(cluster);
      entry = {
        queue: new Queue(name, { connection: this.#connection, prefix: this.prefix }),
        keys: desiredKeys(this.prefix, name),
      };
      this.#queues.set(cluster, entry);
    }
    return entry;
  }
}
