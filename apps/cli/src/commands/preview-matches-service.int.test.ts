import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Application, RepoReader } from "@flotilla/core";
import { startGeneratorService } from "@flotilla/generator";
import { type QueuedWork, SyncQueues } from "@flotilla/queue";
import { openStore } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { previewAppSets } from "./appset-preview.ts";

// One destination contract: what `appset preview` shows for a set of clusters is what the generator service does
// with the same clusters registered. Argo CD users address clusters by `server: "{{server}}"` as often as by name;
// here one element points at a server nobody registered.
const APPSET = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: edge }
spec:
  generators:
    - matrix:
        generators:
          - list:
              elements:
                - { name: prod-a, server: "https://prod-a.example:6443" }
                - { name: unknown, server: "https://unknown.example:6443" }
                - { name: prod-b, server: "https://prod-b.example:6443/" }
          - list: { elements: [ { app: web }, { app: api } ] }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: "apps/{{app}}" }
      destination: { server: "{{server}}", namespace: "{{app}}" }
      syncPolicy: { automated: { prune: true } }
`;

const CLUSTERS = [
  { name: "prod-a", server: "https://prod-a.example:6443", labels: { env: "prod" } },
  { name: "prod-b", server: "https://prod-b.example:6443", labels: { env: "prod" } },
];

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};

/** `[element, Application, message]` of each failed element. */
type Failure = [number, string | undefined, string];

describeWithRedis("appset preview and the generator service agree on destinations", (redisInfo) => {
  const fleet = new TestGitRepo();
  const redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
  afterAll(async () => {
    await redis.quit();
    fleet.remove();
  });

  it("same Applications, same per-element error, siblings enqueued; preview exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flotilla-preview-"));
    writeFileSync(join(dir, "edge.yaml"), APPSET);
    writeFileSync(join(dir, "clusters.yaml"), JSON.stringify(CLUSTERS));
    let stdout = "";
    let stderr = "";
    const code = await previewAppSets(
      { files: [join(dir, "edge.yaml")], clustersFile: join(dir, "clusters.yaml"), output: "json" },
      {
        readFile: async (path) => readFileSync(path, "utf8"),
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        repos: noGit,
      },
    );
    expect(code).toBe(ExitCode.ElementErrors);
    const previewed = (JSON.parse(stdout) as Application[]).sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
    const previewFailures: Failure[] = stderr
      .trim()
      .split("\n")
      .map((line) => {
        const m = /: element (\d+) \[[^\]]*\] \(Application "([^"]+)"\): (.*)$/.exec(line);
        if (m === null) throw new Error(`unexpected preview error line: ${line}`);
        return [Number(m[1]), m[2], m[3]!];
      });

    const prefix = `t${randomUUID().slice(0, 8)}:`;
    const store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    for (const c of CLUSTERS) await store.clusters.register({ ...c, mode: "agent" });
    fleet.commit({ "appsets/edge.yaml": APPSET });
    const service = await startGeneratorService(
      {
        fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        webhook: { port: 0, secret: "s" },
        redis: { url: redisInfo.url, prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: false, concurrency: 1 },
        allowLocalRepos: true,
      },
      pino({ level: "silent" }),
    );
    const queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    try {
      const report = await service.nextCycle();
      expect(report).toMatchObject({ appSets: 1, applications: 4, syncs: 4, failed: ["edge"] });

      const names = [...(await store.applications.desiredDigests("edge")).keys()].sort();
      expect(names).toEqual(previewed.map((a) => a.metadata.name));
      expect(names).toEqual(["api-prod-a", "api-prod-b", "web-prod-a", "web-prod-b"]);
      expect(await store.applications.getMany("edge", names)).toEqual(previewed);

      const record = await store.generations.getGeneration("edge");
      const serviceFailures: Failure[] = (record?.errors ?? []).map((e) => [e.element, e.application, e.message]);
      expect(serviceFailures).toEqual(previewFailures);
      expect(previewFailures).toEqual([
        [
          2,
          "web-unknown",
          'spec.destination.server: "https://unknown.example:6443" is not the server of any registered cluster',
        ],
        [
          3,
          "api-unknown",
          'spec.destination.server: "https://unknown.example:6443" is not the server of any registered cluster',
        ],
      ]);

      for (const cluster of ["prod-a", "prod-b"]) {
        const jobs = (await queues.queue(cluster).getJobs(["waiting", "prioritized"])).map(
          (j) => (j.data as QueuedWork).item,
        );
        expect(jobs.map((i) => `${i.kind} ${i.job.application} ${i.job.cluster}`).sort()).toEqual([
          `sync api-${cluster} ${cluster}`,
          `sync web-${cluster} ${cluster}`,
        ]);
      }
    } finally {
      await service.stop();
      await queues.close();
    }
  });
});
