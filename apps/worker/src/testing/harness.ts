import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Application, specDigest } from "@flotilla/core";
import { RepoCache } from "@flotilla/git";
import type { ResourceManager } from "@flotilla/kube";
import { SyncQueues } from "@flotilla/queue";
import { Renderer } from "@flotilla/render";
import type { AppRef, StatusStore } from "@flotilla/status";
import { openStore, type Store } from "@flotilla/store";
import type { ClusterInfo } from "@flotilla/testbed";
import { testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { type Logger, pino } from "pino";
import { createWatchKnowledge } from "../drift/watch-knowledge.ts";
import { type Agent, type AgentOptions, startAgent } from "../modes/agent.ts";
import type { ReconcileDeps } from "../reconcile.ts";
import { createRuntime, type RuntimeOptions, type WorkerRuntime } from "../runtime.ts";
import type { SyncContext } from "../steps/sync-context.ts";
import { syncJob } from "./fixtures.ts";

// Test-only (left out of the build): a worker runtime on the bed's Redis, with timings fit for tests.

export const silent = pino({ level: "silent" });

/** Polls until `check` holds, or fails with what it last saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface TestRuntime {
  runtime: WorkerRuntime;
  store: Store;
  redis: Redis;
  close(): Promise<void>;
}

export async function testRuntime(
  redisUrl: string,
  prefix: string,
  encryptionKey: Buffer,
  overrides: Partial<Pick<RuntimeOptions, "localRender">> = {},
): Promise<TestRuntime> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const store = await openStore({ redis, prefix, encryptionKey, log: silent });
  const runtime = createRuntime({
    redis,
    store,
    prefix,
    log: silent,
    concurrency: 4,
    repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-worker-git-")),
    gitMinFetchIntervalMs: 0,
    // Tests' repositories are on this machine's disk.
    allowLocalRepos: true,
    // A retried job comes back within a second or two, and a killed worker's job within a few.
    queue: { lockDurationMs: 5_000, stalledIntervalMs: 2_000, backoff: { baseMs: 500, maxMs: 2_000 } },
    reconcile: { health: { waitMs: 30_000, pollMs: 500 }, apply: { throttleDelayMs: 1_000 } },
    ...overrides,
  });
  return {
    runtime,
    store,
    redis,
    close: async () => {
      await runtime.close();
      await quit(redis);
    },
  };
}

/** An agent on one of the bed's clusters, with its runtime and the producer side of its queues. */
export interface TestAgent extends TestRuntime {
  queues: SyncQueues;
  agent: Agent;
}

/**
 * Starts an agent for `cluster` (no labels, periodic re-sync off unless `options` say otherwise); `close()` stops
 * the agent, then the queues and the runtime.
 */
export async function startTestAgent(
  cluster: ClusterInfo,
  prefix: string,
  options: Partial<AgentOptions> = {},
  runtime: Partial<Pick<RuntimeOptions, "localRender">> & { key?: Buffer } = {},
): Promise<TestAgent> {
  const { key = testKey(), ...overrides } = runtime;
  const harness = await testRuntime(testbedRedis().url, prefix, key, overrides);
  const queues = new SyncQueues({ connection: harness.redis, prefix: `${prefix}bull` });
  const agent = await startAgent(harness.runtime, {
    cluster: cluster.name,
    kubeconfig: cluster.kubeconfig,
    labels: {},
    resync: { intervalMs: 0 },
    ...options,
  });
  return {
    ...harness,
    queues,
    agent,
    close: async () => {
      await agent.stop(10_000);
      await queues.close();
      await harness.close();
    },
  };
}

/**
 * Stores `app` as the generator would (so that re-syncs find its spec) and enqueues its sync, as the generator's
 * cycle does; returns the Application's reference and desired digest (its spec digest:
 * no source is prepared).
 */
export async function storeAndSync(
  on: { store: Store; queues: SyncQueues },
  appSet: string,
  app: Application,
): Promise<{ ref: AppRef; desiredDigest: string }> {
  const desiredDigest = specDigest(app);
  await on.store.applications.commit(appSet, {
    creates: [{ application: app, desiredDigest }],
    updates: [],
    deletes: [],
    unchanged: [],
  });
  await on.queues.enqueueSync({ ...syncJob(appSet, app), desiredDigest });
  const ref = { cluster: app.spec.destination.cluster ?? "", appSet, application: app.metadata.name };
  return { ref, desiredDigest };
}

export function testKey(): Buffer {
  return randomBytes(32);
}

/**
 * Reconcile dependencies for tests that drive reconcile directly: a Git cache that fetches on every resolve (tests
 * commit and sync at once), nothing published, no watches, and health re-read every half second.
 */
export function reconcileDeps(status: StatusStore, log: Logger = silent, healthWaitMs = 30_000): ReconcileDeps {
  const git = new RepoCache({
    cacheDir: mkdtempSync(join(tmpdir(), "flotilla-worker-git-")),
    minFetchIntervalMs: 0,
    logger: log,
    allowLocalRepos: true,
  });
  return {
    bundles: {
      published: { byDigest: async () => undefined },
      local: { git, renderer: new Renderer({ reader: git }) },
    },
    status,
    watch: createWatchKnowledge(status),
    options: { health: { waitMs: healthWaitMs, pollMs: 500 }, apply: { throttleDelayMs: 1_000 } },
    now: () => new Date(),
  };
}

/** The context a step gets for `app` on its destination cluster, for tests that drive steps directly. */
export function syncContext(
  appSet: string,
  app: Application,
  manager: ResourceManager,
  log: Logger = silent,
): SyncContext {
  const job = syncJob(appSet, app);
  return {
    ref: { cluster: app.spec.destination.cluster ?? "", appSet, application: job.application },
    job,
    app,
    manager,
    log,
    signal: new AbortController().signal,
  };
}

/**
 * Ends a connection at teardown. ioredis rejects QUIT with "Connection is closed" when the socket ends before the
 * reply (or it is reconnecting): the connection is gone either way, which is all a teardown wants.
 */
async function quit(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  await redis.quit().catch((err: unknown) => {
    if (!(err instanceof Error && err.message === "Connection is closed.")) throw err;
  });
}
