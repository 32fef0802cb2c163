import { randomUUID } from "node:crypto";
import { type QueuedWork, SyncQueues } from "@flotilla/queue";
import { openStore, type Store } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type GeneratorService, startGeneratorService } from "./service.ts";
import { pushWebhook, testGeneratorConfig } from "./testing/service-config.ts";

const CLUSTERS = ["prod-a", "prod-b"];

/** Every `config/<app>/config.yaml` of the fleet repository on every prod cluster, named from the path alone. */
function configsAppSet(fleet: string): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: configs }
spec:
  generators:
    - matrix:
        generators:
          - clusters: { selector: { matchLabels: { env: prod } } }
          - git: { repoURL: "${fleet}", revision: main, files: [ { path: "config/*/config.yaml" } ] }
  template:
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: "${fleet}", targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "{{ns}}" }
      syncPolicy: { automated: { prune: true } }
`;
}

const SECRET = "webhook-secret";
const config = (ns: string) => `ns: ${ns}\n`;

/**
 * One git file that stops parsing, through the real generator service on real Redis with a real Git repository:
 * before, its GeneratorError froze the whole ApplicationSet (no create, no update, no delete); now only that
 * file's elements fail, and its Applications are kept.
 */
describeWithRedis("git files generator: one malformed file (real generator cycle, real Redis, real Git)", (info) => {
  const prefix = `t${randomUUID().slice(0, 8)}:`;
  const fleet = new TestGitRepo();
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;
  let service: GeneratorService;

  beforeAll(async () => {
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    for (const name of CLUSTERS) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env: "prod" }, mode: "agent" });
    }
  });

  afterAll(async () => {
    await service?.stop();
    await queues.close();
    await redis.quit();
    fleet.remove();
  });

  /** The jobs queued on a cluster, as `kind application`, sorted. */
  async function queued(cluster: string): Promise<string[]> {
    const jobs = await queues.queue(cluster).getJobs(["waiting", "delayed", "prioritized"]);
    return jobs.map((j) => (j.data as QueuedWork).item).map((item) => `${item.kind} ${item.job.application}`);
  }

  const push = (on: GeneratorService, dir: string) => pushWebhook({ port: on.port, secret: SECRET, repository: dir });

  async function drain(): Promise<void> {
    for (const cluster of CLUSTERS) await queues.queue(cluster).obliterate({ force: true });
  }

  it("fails only that file's elements: siblings create, update and delete; its Applications stay", async () => {
    const appSet = { "appsets/configs.yaml": configsAppSet(fleet.dir) };
    fleet.commit({
      ...appSet,
      "config/web/config.yaml": config("one"),
      "config/api/config.yaml": config("one"),
      "config/db/config.yaml": config("one"),
      "config/old/config.yaml": config("one"),
    });
    service = await startGeneratorService(
      testGeneratorConfig({
        fleetDir: fleet.dir,
        redis: { url: info.url, prefix },
        render: false,
        webhookSecret: SECRET,
      }),
      pino({ level: "silent" }),
    );
    expect(await service.nextCycle()).toMatchObject({ applications: 8, syncs: 8, failed: [] });
    await drain();

    // api's file breaks, web's changes, new appears, old leaves Git.
    fleet.commit({
      ...appSet,
      "config/web/config.yaml": config("two"),
      "config/api/config.yaml": "ns: [two\n",
      "config/db/config.yaml": config("one"),
      "config/new/config.yaml": config("one"),
    });
    const cycle = service.nextCycle();
    expect((await push(service, fleet.dir)).status).toBe(202);
    // Before the fix: { applications: 0, syncs: 0, deletes: 0, held: 1 }, every change of the ApplicationSet frozen.
    expect(await cycle).toMatchObject({ applications: 6, syncs: 4, deletes: 2, held: 0, failed: ["configs"] });

    for (const cluster of CLUSTERS) {
      expect((await queued(cluster)).sort()).toEqual([
        `delete old-${cluster}`,
        `sync new-${cluster}`,
        `sync web-${cluster}`,
      ]);
    }
    // api is kept as it was: in the store, with no job.
    const desiredDigests = await store.applications.desiredDigests("configs");
    expect([...desiredDigests.keys()].sort()).toEqual([
      "api-prod-a",
      "api-prod-b",
      "db-prod-a",
      "db-prod-b",
      "new-prod-a",
      "new-prod-b",
      "web-prod-a",
      "web-prod-b",
    ]);
    const record = await store.generations.getGeneration("configs");
    expect(record?.generatorError).toBeUndefined();
    expect(record?.errors.map((e) => [e.application, e.message])).toEqual(
      CLUSTERS.map((cluster) => [
        `api-${cluster}`,
        expect.stringMatching(/config\/api\/config\.yaml: invalid YAML at line 2, column 1: /),
      ]),
    );
  });
});
