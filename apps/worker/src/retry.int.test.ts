import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, syncJob, uniqueName } from "./testing/fixtures.ts";
import { eventually, startTestAgent, type TestAgent } from "./testing/harness.ts";

const APPSET = "retry-it";

describeWithClusters("syncPolicy.retry on a real queue (real Redis, real cluster)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("retry")}:`;
  let agent: TestAgent;

  beforeAll(async () => {
    // A worker that renders nothing itself: a job naming a bundle the store does not hold fails in a way a retry
    // could fix (the generator may publish it), so the job is retried — that is the failure this test needs.
    agent = await startTestAgent(cluster, prefix, {}, { localRender: false });
  });

  afterAll(async () => {
    await agent.close();
  });

  /** Waits for the job to fail for good; its attempts as counted then. */
  const failedForGood = (jobId: string) =>
    eventually(
      async () => {
        // The state first, then the job: read the other way round, the job's counters may predate the attempt
        // whose end the state shows.
        const queue = agent.queues.queue(cluster.name);
        const state = await queue.getJobState(jobId);
        const found = await queue.getJob(jobId);
        return found === undefined ? undefined : { state, attemptsMade: found.attemptsMade };
      },
      (j) => j?.state === "failed",
      60_000,
      "the job failed for good",
    );

  it("a failing sync is tried limit + 1 times (not the queue default of 8), then given up with the error in status", async () => {
    const app = application({
      name: uniqueName("retry"),
      repoURL: "https://git.example/fleet.git",
      path: "app",
      cluster: cluster.name,
      namespace: uniqueName("retry"),
    });
    app.spec.syncPolicy = {
      automated: { prune: true },
      retry: { limit: 2, backoff: { duration: "200ms", factor: 2, maxDuration: "1s" } },
    };
    const job = { ...syncJob(APPSET, app), source: { commit: "a".repeat(40), bundle: `sha256:${"0".repeat(64)}` } };
    const { jobId } = await agent.queues.enqueueSync(job);
    const ref = { cluster: cluster.name, appSet: APPSET, application: app.metadata.name };

    const failed = await failedForGood(jobId);
    // The queue's default is 8 attempts: limit 2 means the first attempt and two retries.
    expect(failed?.attemptsMade).toBe(3);
    const status = await agent.runtime.status.get(ref);
    expect(status).toMatchObject({ sync: "Error", lastError: { reason: "RenderFailed", retrying: false } });
    expect(status?.lastError?.message).toMatch(/is not in the shared store/);
    const history = await agent.runtime.status.history(ref);
    expect(history.map((h) => [h.result, h.jobId])).toEqual([
      ["Error", jobId],
      ["Error", jobId],
      ["Error", jobId],
    ]);
  });

  it("limit 0: the first failure is final", async () => {
    const app = application({
      name: uniqueName("once"),
      repoURL: "https://git.example/fleet.git",
      path: "app",
      cluster: cluster.name,
      namespace: uniqueName("once"),
    });
    app.spec.syncPolicy = { automated: {}, retry: { limit: 0 } };
    const job = { ...syncJob(APPSET, app), source: { commit: "b".repeat(40), bundle: `sha256:${"1".repeat(64)}` } };
    const { jobId } = await agent.queues.enqueueSync(job);
    const failed = await failedForGood(jobId);
    expect(failed?.attemptsMade).toBe(1);
    const ref = { cluster: cluster.name, appSet: APPSET, application: app.metadata.name };
    expect((await agent.runtime.status.get(ref))?.lastError).toMatchObject({ retrying: false });
  });
});
