import { setTimeout as sleep } from "node:timers/promises";
import { isValidationError } from "@flotilla/core";
import { createLogger } from "@flotilla/log";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { applicationRetryDelay, BACKOFF_TYPE, type BackoffOptions, jitteredBackoff } from "./backoff.ts";
import { desiredKeys, readDesired, settleDesired } from "./desired.ts";
import { isClusterThrottledError } from "./errors/cluster-throttled-error.ts";
import { InvalidJobError, isInvalidJobError } from "./errors/invalid-job-error.ts";
import { coalescingKey, DEFAULT_QUEUE_PREFIX, JOB_SYNC, queueNameFor } from "./names.ts";
import { parseWorkItem, type WorkItem } from "./payloads.ts";
import { parseQueuedWork, type QueuedWork } from "./queued-work.ts";

export interface WorkContext {
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Attempts the job has in all: a failure on attempt `attempts` is final, nothing retries it. */
  attempts: number;
  /** Sequence number of the desired state being applied. */
  seq: number;
  /** Aborts when the job is cancelled (shutdown past its drain time); stop and let the job go back. */
  signal: AbortSignal;
  /** Bound to appset, app, cluster, jobId, seq and kind. */
  log: Logger;
}

/**
 * Applies one work item. Throw `ClusterThrottledError` to be retried later without using an attempt,
 * `InvalidJobError` (or a core `ValidationError`) to fail at once, anything else to be retried with backoff.
 */
export type WorkHandler = (item: WorkItem, ctx: WorkContext) => Promise<void>;

export interface ClusterWorkerOptions {
  /** Connection for the worker; BullMQ requires `maxRetriesPerRequest: null` on it. Owned by the caller. */
  connection: Redis;
  /** Must match the producers'. @defaultValue `"flotilla:bull"` */
  prefix?: string;
  /** Jobs of this cluster run at once by this worker. @defaultValue 4 */
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a dead worker's job is recovered after it. @defaultValue 30000 */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (of any worker) to recover. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** Stalls a job survives before it fails; a crash mid-sync is one stall. @defaultValue 2 */
  maxStalledCount?: number;
  /** Retry delays. @defaultValue see `jitteredBackoff` */
  backoff?: BackoffOptions;
  /** @defaultValue a pino logger named `flotilla:queue` */
  log?: Logger;
}

export interface CloseResult {
  /** True when every active job finished within the time given; false when some were handed back. */
  drained: boolean;
}

export interface ClusterWorker {
  readonly cluster: string;
  readonly queueName: string;
  /** The BullMQ worker, for events; drive it through this object. */
  readonly worker: Worker;
  /**
   * Stops taking jobs and waits up to `timeoutMs` for active ones (SIGTERM). Past that, active jobs are
   * cancelled: their handlers see `signal` abort and the jobs go back to the queue without using an attempt.
   * A handler that ignores the signal is left behind; once the process exits, stalled-job recovery redoes it.
   */
  close(timeoutMs?: number): Promise<CloseResult>;
}

/**
 * A job's logger, with the fields every Flotilla service logs (`appset`, `app`, `cluster`), so one query finds an
 * Application's lines from the generator through the queue to the worker; `jobId` ties them to the job.
 */
export function jobLogger(
  root: Logger,
  cluster: string,
  job: { appSet: string; application: string },
  jobId: string | undefined,
): Logger {
  return root.child({ appset: job.appSet, app: job.application, cluster, jobId });
}

/** How long cancelled handlers get to hand their jobs back after the drain time ran out. */
const CANCEL_GRACE_MS = 2_000;

/** Consumes one cluster's queue: the only queue an agent reads, one of many a pool worker reads. */
export function createClusterWorker(
  cluster: string,
  handler: WorkHandler,
  options: ClusterWorkerOptions,
): ClusterWorker {
  const queueName = queueNameFor(cluster);
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const keys = desiredKeys(prefix, queueName);
  const redis = options.connection;
  const root = options.log ?? createLogger({ name: "flotilla:queue" });
  const base = root.child({ cluster });
  const backoff = jitteredBackoff(options.backoff);
  let shuttingDown = false;

  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<void> => {
    const what = `job ${job.id} (${job.name}) on queue ${queueName}`;
    const queued = unrecoverable(() => parseQueuedWork(job.data, what, cluster));
    const id = coalescingKey(queued.item.job.appSet, queued.item.job.application);
    const latest = await readDesired(redis, keys, id);
    const log = jobLogger(root, cluster, queued.item.job, job.id);
    if (latest === undefined) {
      // Only a successful run of the latest state removes the record: there is nothing newer to apply.
      log.debug({ seq: queued.seq }, "desired state already applied; skipping");
      return;
    }
    const item = unrecoverable(() =>
      parseWorkItem(
        parseJson(latest.json, `${what}, desired state #${latest.seq}`),
        `${what}, desired state #${latest.seq}`,
        cluster,
      ),
    );
    const ctx: WorkContext = {
      jobId: job.id ?? "",
      attempt: job.attemptsMade + 1,
      attempts: job.opts.attempts ?? 1,
      seq: latest.seq,
      signal: signal ?? new AbortController().signal,
      log: log.child({ seq: latest.seq, kind: item.kind }),
    };
    try {
      await handler(item, ctx);
    } catch (err) {
      if (isClusterThrottledError(err)) {
        ctx.log.info({ retryAfterMs: err.retryAfterMs }, "cluster throttled; job delayed");
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      if (shuttingDown && signal?.aborted) {
        ctx.log.info("shutdown cancelled the job; handing it back");
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (isInvalidJobError(err) || isValidationError(err)) throw new UnrecoverableError(err.message);
      throw err;
    }
    await settleDesired(redis, keys, id, latest.seq);
  };

  const worker = new Worker(queueName, processor, {
    connection: redis,
    prefix,
    concurrency: options.concurrency ?? 4,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    settings: {
      // Jobs made by SyncQueues carry BACKOFF_TYPE; anything else gets the same policy rather than none.
      backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: { data: unknown }) => {
        if (type !== BACKOFF_TYPE) base.warn({ type }, "unknown backoff type; using the default policy");
        // The job's own item, unparsed: a sync whose Application sets `syncPolicy.retry` follows that schedule.
        const item = (job?.data as Partial<QueuedWork> | undefined)?.item;
        const app = item?.kind === JOB_SYNC ? item.job.app : undefined;
        return applicationRetryDelay(app, attemptsMade) ?? backoff(attemptsMade);
      },
    },
  });
  worker.on("error", (err) => base.error({ err }, "worker error"));
  worker.on("failed", (job, err) => {
    if (job === undefined) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    // Unparsed: a job that failed for bad data still gets a line, with whatever names it has.
    const named = (job.data as Partial<QueuedWork> | undefined)?.item?.job;
    base[final ? "error" : "warn"](
      { appset: named?.appSet, app: named?.application, jobId: job.id, attempt: job.attemptsMade, err: err.message },
      final ? "job failed" : "job will be retried",
    );
  });

  return {
    cluster,
    queueName,
    worker,
    async close(timeoutMs = 30_000): Promise<CloseResult> {
      shuttingDown = true;
      const closing = worker.close();
      if (await settlesWithin(closing, timeoutMs)) return { drained: true };
      base.warn({ timeoutMs }, "drain time ran out; cancelling active jobs");
      worker.cancelAllJobs("worker shutting down");
      await settlesWithin(closing, CANCEL_GRACE_MS);
      return { drained: false };
    },
  };
}

function unrecoverable<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InvalidJobError) throw new UnrecoverableError(err.message);
    throw err;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJobError(what, ["(root): not JSON"]);
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const timer = sleep(ms, false, { signal: timeout.signal }).catch(() => false);
  const done = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([done, timer]);
  timeout.abort();
  return result;
}
