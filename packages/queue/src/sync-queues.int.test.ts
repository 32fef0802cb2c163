import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Application, specDigest } from "@flotilla/core";
import { fenceOf, fenceProof, isStaleFenceError, openStore } from "@flotilla/store";
import { eventually } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  type ClusterWorker,
  type ClusterWorkerOptions,
  createClusterWorker,
  type WorkHandler,
} from "./cluster-worker.ts";
import { ClusterThrottledError } from "./errors/cluster-throttled-error.ts";
import { InvalidJobError } from "./errors/invalid-job-error.ts";
import { queueNameFor } from "./names.ts";
import type { SyncJob, WorkItem } from "./payloads.ts";
import { SyncQueues } from "./sync-queues.ts";

const log = pino({ level: "silent" });

function syncJob(cluster: string, application: string, revision: string): SyncJob {
  const app: Application = {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: application },
    spec: {
      source: { repoURL: "https://git.example/fleet.git", targetRevision: revision, path: "apps/guestbook" },
      destination: { cluster, namespace: "guestbook" },
    },
  };
  return { appSet: "guestbook", application, cluster, desiredDigest: specDigest(app), revision, app };
}

const until = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000) =>
  eventually(what, probe, timeoutMs, 20);

function revisionOf(item: WorkItem): string {
  return item.kind === "sync" ? item.job.revision : `delete@${item.job.revision ?? "?"}`;
}

/** A handler whose calls the test can hold open and release. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describeWithRedis("per-cluster sync queues (real Redis)", (info) => {
  let connection: Redis;
  let queues: SyncQueues;
  let prefix: string;
  const workers: ClusterWorker[] = [];
  const worker = (cluster: string, handler: WorkHandler, options: Partial<ClusterWorkerOptions> = {}) => {
    const w = createClusterWorker(cluster, handler, { connection, prefix, log, ...options });
    workers.push(w);
    return w;
  };

  beforeEach(() => {
    connection = new Redis(info.url, { maxRetriesPerRequest: null });
    prefix = `t${randomBytes(5).toString("hex")}`;
    queues = new SyncQueues({ connection, prefix, log, attempts: 4 });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(1_000)));
    await queues.close();
    await connection.quit();
  });

  it("coalesces a burst of 50 triggers for one Application into one waiting job that applies the last", async () => {
    for (let i = 1; i <= 50; i++) await queues.enqueueSync(syncJob("prod", "guestbook-prod", `r${i}`));
    await queues.enqueueSync(syncJob("prod", "other-app", "r1"));
    expect(await queues.waitingCount("prod")).toBe(2);
    expect((await queues.counts("prod")).pending).toBe(2);

    const seen: string[] = [];
    worker("prod", async (item) => {
      if (item.job.application === "guestbook-prod") seen.push(revisionOf(item));
    });
    await until("queue drained", async () => ((await queues.counts("prod")).pending === 0 ? true : undefined));
    await sleep(200);
    expect(seen).toEqual(["r50"]);
    expect(await queues.counts("prod")).toMatchObject({ waiting: 0, active: 0, failed: 0, pending: 0 });
  });

  it("a producer that lost its lease enqueues nothing: the fence is checked atomically with the desired-state write", async () => {
    const store = await openStore({ redis: connection, prefix: `${prefix}:`, needsCredentials: false, log });
    const lease = store.lease("generator", { ttlMs: 60_000 });
    const lost = (await lease.acquire())!;
    await lease.release(lost);
    const current = (await lease.acquire())!;
    const stale = fenceProof(store.keys, fenceOf(lost));

    const items: WorkItem[] = [
      { kind: "sync", job: syncJob("prod", "guestbook-prod", "r1") },
      { kind: "sync", job: syncJob("prod", "other-app", "r1") },
    ];
    await expect(queues.enqueueAll(items, undefined, { fence: stale })).rejects.toSatisfy(isStaleFenceError);
    await expect(queues.enqueueSync(syncJob("prod", "guestbook-prod", "r2"), { fence: stale })).rejects.toSatisfy(
      isStaleFenceError,
    );
    const gone = { appSet: "guestbook", application: "gone", cluster: "prod", preserveResources: false };
    await expect(queues.enqueueDelete(gone, { fence: stale })).rejects.toSatisfy(isStaleFenceError);
    expect(await queues.counts("prod")).toMatchObject({ waiting: 0, pending: 0 });
    expect(await queues.queue("prod").getJobCounts()).toMatchObject({ waiting: 0, delayed: 0, prioritized: 0 });

    await queues.enqueueAll(items, undefined, { fence: fenceProof(store.keys, fenceOf(current)) });
    expect(await queues.counts("prod")).toMatchObject({ waiting: 2, pending: 2 });
  });

  it("a new state while the job is active produces exactly one follow-up, which applies the latest", async () => {
    const first = gate();
    const started = gate();
    const seen: string[] = [];
    worker("prod", async (item) => {
      seen.push(revisionOf(item));
      if (seen.length === 1) {
        started.open();
        await first.opened;
      }
    });
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await started.opened;
    for (const r of ["r2", "r3", "r4"]) await queues.enqueueSync(syncJob("prod", "guestbook-prod", r));
    // Kept aside by BullMQ, not waiting: nothing can run beside the active sync.
    expect(await queues.counts("prod")).toMatchObject({ waiting: 0, active: 1 });
    first.open();
    await until("follow-up done", () => (seen.length >= 2 ? true : undefined));
    await until("queue drained", async () => ((await queues.counts("prod")).pending === 0 ? true : undefined));
    await sleep(300);
    expect(seen).toEqual(["r1", "r4"]);
  });

  it("runs prompt work before the periodic backlog, promoting a waiting periodic job that absorbed a prompt add", async () => {
    const periodic = ["p1", "p2", "p3", "p4"].map((name) => ({
      kind: "sync" as const,
      job: syncJob("prod", name, "r1"),
    }));
    await queues.enqueueAll(periodic, 256, { lane: "periodic" });
    await queues.enqueueSync(syncJob("prod", "edited", "r1"));
    // p3 already waits in the periodic lane; the edit on the cluster must not wait behind p1 and p2.
    await queues.enqueueSync(syncJob("prod", "p3", "r2"));
    expect(await queues.counts("prod")).toMatchObject({ waiting: 5, pending: 5 });
    const seen: string[] = [];
    worker("prod", async (item) => void seen.push(`${item.job.application}@${revisionOf(item)}`), { concurrency: 1 });
    await until("queue drained", async () => ((await queues.counts("prod")).pending === 0 ? true : undefined));
    expect(seen).toEqual(["edited@r1", "p3@r2", "p1@r1", "p2@r1", "p4@r1"]);
  });

  it("a prompt add absorbed by a periodic job that is already running neither fails nor is lost", async () => {
    const first = gate();
    const started = gate();
    const seen: string[] = [];
    worker("prod", async (item) => {
      seen.push(revisionOf(item));
      if (seen.length === 1) {
        started.open();
        await first.opened;
      }
    });
    await queues.enqueueAll([{ kind: "sync", job: syncJob("prod", "guestbook-prod", "r1") }], 256, {
      lane: "periodic",
    });
    await started.opened;
    // The periodic job runs: there is nothing to promote, and the generator's add must not fail over it.
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r2"));
    first.open();
    await until("follow-up done", () => (seen.length >= 2 ? true : undefined));
    expect(seen).toEqual(["r1", "r2"]);
  });

  it("skips a periodic add for an Application whose work is still pending: that work applies the latest state", async () => {
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    const [skipped] = await queues.enqueueAll([{ kind: "sync", job: syncJob("prod", "guestbook-prod", "r0") }], 1, {
      lane: "periodic",
    });
    expect(skipped?.seq).toBe(0);
    const seen: string[] = [];
    worker("prod", async (item) => void seen.push(revisionOf(item)));
    await until("queue drained", async () => ((await queues.counts("prod")).pending === 0 ? true : undefined));
    await sleep(200);
    expect(seen).toEqual(["r1"]);
  });

  it("a periodic add tries again an Application whose last job failed for good", async () => {
    let calls = 0;
    worker("prod", async () => {
      calls++;
      if (calls === 1) throw new InvalidJobError("test", ["bad once"]);
    });
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await until("failed", async () => ((await queues.counts("prod")).failed === 1 ? true : undefined));
    const [again] = await queues.enqueueAll([{ kind: "sync", job: syncJob("prod", "guestbook-prod", "r1") }], 1, {
      lane: "periodic",
    });
    expect(again?.seq).toBeGreaterThan(0);
    await until("run again", () => (calls === 2 ? true : undefined));
  });

  it("a delete overtakes a pending sync of the same Application", async () => {
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await queues.enqueueDelete({
      appSet: "guestbook",
      application: "guestbook-prod",
      cluster: "prod",
      preserveResources: true,
      revision: "r2",
    });
    expect(await queues.waitingCount("prod")).toBe(1);
    const seen: WorkItem[] = [];
    worker("prod", async (item) => {
      seen.push(item);
    });
    await until("done", () => seen[0]);
    expect(seen[0]).toMatchObject({ kind: "delete", job: { preserveResources: true } });
  });

  it("keeps clusters independent: a stuck cluster does not delay another, and each worker sees only its own", async () => {
    const stuck = gate();
    const slowSeen: string[] = [];
    const fastSeen: string[] = [];
    worker(
      "slow",
      async (item) => {
        slowSeen.push(item.job.cluster);
        await stuck.opened;
      },
      { concurrency: 1 },
    );
    worker("fast", async (item) => {
      fastSeen.push(item.job.cluster);
    });
    for (let i = 0; i < 20; i++) {
      await queues.enqueueSync(syncJob("slow", `app-${i}`, "r1"));
      await queues.enqueueSync(syncJob("fast", `app-${i}`, "r1"));
    }
    await until("fast cluster done", () => (fastSeen.length === 20 ? true : undefined), 10_000);
    expect(new Set(fastSeen)).toEqual(new Set(["fast"]));
    expect(slowSeen).toEqual(["slow"]);
    expect(await queues.counts("slow")).toMatchObject({ active: 1, waiting: 19 });
    stuck.open();
  });

  it("retries a job that throws, with exponential backoff and jitter, and reports the attempt", async () => {
    const calls: { attempt: number; at: number }[] = [];
    worker(
      "prod",
      async (_item, ctx) => {
        calls.push({ attempt: ctx.attempt, at: performance.now() });
        if (ctx.attempt < 3) throw new Error("apply failed: connection refused");
      },
      { backoff: { baseMs: 200, maxMs: 10_000 } },
    );
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await until("third attempt", () => (calls.length >= 3 ? true : undefined));
    await until("queue drained", async () => ((await queues.counts("prod")).pending === 0 ? true : undefined));
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const gap1 = calls[1]!.at - calls[0]!.at;
    const gap2 = calls[2]!.at - calls[1]!.at;
    expect(gap1).toBeGreaterThanOrEqual(100 - 5);
    expect(gap2).toBeGreaterThanOrEqual(200 - 5);
    expect(gap2).toBeLessThan(2_000);
  });

  it("fails a malformed job at once, without retries, with a clear reason", async () => {
    let called = false;
    worker("prod", async () => {
      called = true;
    });
    const queue = new Queue(queueNameFor("prod"), { connection, prefix });
    try {
      const job = await queue.add(
        "sync",
        { seq: 1, item: { kind: "sync", job: { cluster: "prod" } } },
        { attempts: 5 },
      );
      const failed = await until("failure", async () =>
        (await queue.getJob(job.id!))?.failedReason ? true : undefined,
      );
      expect(failed).toBe(true);
      const after = await queue.getJob(job.id!);
      expect(after?.failedReason).toMatch(/invalid payload: .*job\.appSet/);
      expect(after?.attemptsMade).toBe(1);
      expect(called).toBe(false);
    } finally {
      await queue.close();
    }
  });

  it("delays a throttled job without using up an attempt", async () => {
    const calls: { attempt: number; at: number }[] = [];
    worker("prod", async (_item, ctx) => {
      calls.push({ attempt: ctx.attempt, at: performance.now() });
      if (calls.length === 1) throw new ClusterThrottledError("prod", 300);
    });
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await until("second call", () => (calls.length >= 2 ? true : undefined));
    expect(calls.map((c) => c.attempt)).toEqual([1, 1]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it("recovers the job of a worker that died mid-sync (stalled) and runs it on another worker", async () => {
    const hung = gate();
    const started = gate();
    const options = { lockDurationMs: 500, stalledIntervalMs: 250 };
    const dying = createClusterWorker(
      "prod",
      async () => {
        started.open();
        await hung.opened;
      },
      { connection, prefix, log, ...options },
    );
    await queues.enqueueSync(syncJob("prod", "guestbook-prod", "r1"));
    await started.opened;
    // Dies: stops renewing its lock and never completes the job.
    await dying.worker.close(true);
    const seen: string[] = [];
    worker(
      "prod",
      async (item) => {
        seen.push(revisionOf(item));
      },
      options,
    );
    await until("recovered", () => (seen.length > 0 ? true : undefined), 10_000);
    expect(seen).toEqual(["r1"]);
    hung.open();
  });

  it("drains on close within the time given, and hands back jobs that do not finish", async () => {
    const quick = worker("prod", async () => {
      await sleep(200);
    });
    await queues.enqueueSync(syncJob("prod", "a", "r1"));
    await until("active", async () => ((await queues.counts("prod")).active === 1 ? true : undefined));
    expect(await quick.close(5_000)).toEqual({ drained: true });
    expect(await queues.counts("prod")).toMatchObject({ pending: 0, active: 0 });

    const started = gate();
    let aborted = false;
    const slow = worker("prod", async (_item, ctx) => {
      started.open();
      await new Promise<void>((_, reject) => {
        ctx.signal.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      });
    });
    await queues.enqueueSync(syncJob("prod", "b", "r1"));
    await started.opened;
    const t0 = performance.now();
    expect(await slow.close(300)).toEqual({ drained: false });
    expect(performance.now() - t0).toBeLessThan(2_500);
    expect(aborted).toBe(true);
    const counts = await queues.counts("prod");
    expect(counts.active + counts.failed).toBe(0);
    expect(counts.waiting + counts.delayed).toBe(1);
    const [job] = await queues.queue("prod").getJobs(["delayed", "wait"]);
    expect(job?.attemptsMade).toBe(0);
  });
});
