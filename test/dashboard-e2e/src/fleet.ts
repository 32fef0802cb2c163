import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiHarness, apiHarness } from "@flotilla/api/testing";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import type { AppStatus } from "@flotilla/status";
import { type ClusterInfo, TestGitRepo } from "@flotilla/testbed";
import { testbedRedis } from "@flotilla/testbed/vitest";
import { eventually, silent, startTestAgent, type TestAgent } from "@flotilla/worker/testing";
import { configMapYaml, uniqueName } from "@flotilla/worker/testing/fixtures";
import { afterAll, beforeAll } from "vitest";

/** The clusters of the dashboard's fleet and the label each agent declares. */
export const ENVS = ["dev", "prod"] as const;

/** One ConfigMap per app of an ApplicationSet putting `apps` on every cluster (two per cell: the matrix's multi). */
export function guestbookYaml(options: { source: string; namespace: string }): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: guestbook }
spec:
  generators:
    - matrix:
        generators:
          - clusters: {}
          - list: { elements: [{ app: front }, { app: back }] }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: "${options.source}", path: "apps/{{app}}" }
      destination: { cluster: "{{name}}", namespace: "${options.namespace}-{{app}}" }
      syncPolicy: { automated: { prune: true, selfHeal: false }, syncOptions: [CreateNamespace=true] }
`;
}

/** One Application per cluster; removing this file holds the deletion of both (the guard's "removed" hold). */
export function reportsYaml(options: { source: string; namespace: string }): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: reports }
spec:
  generators:
    - clusters: {}
  template:
    metadata: { name: "reports-{{name}}" }
    spec:
      source: { repoURL: "${options.source}", path: "apps/reports" }
      destination: { cluster: "{{name}}", namespace: "${options.namespace}-reports" }
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }
`;
}

export interface DashboardFleet {
  readonly api: ApiHarness;
  readonly namespace: string;
  readonly source: TestGitRepo;
  readonly fleetRepo: TestGitRepo;
  readonly agents: TestAgent[];
  /** Commits the fleet repository and waits for the generator's cycle that reads it. */
  push(files: Record<string, string>): Promise<string>;
  /** Every Application's status, polled until `check` holds. */
  statuses(check: (all: AppStatus[]) => boolean, what: string): Promise<AppStatus[]>;
}

/**
 * A real fleet for the browser tests, started once per file: the API (serving the built dashboard), the generator
 * service on a Git fleet repository, and one agent per cluster of the test bed (labels env=dev, env=prod), all on
 * the run's Redis under a prefix of their own.
 */
export function dashboardFleet(clusters: readonly ClusterInfo[]): DashboardFleet {
  const prefix = `${uniqueName("dash")}:`;
  const key = randomBytes(32);
  const namespace = uniqueName("dash");
  const api = apiHarness(testbedRedis().url, { prefix, encryptionKey: key });
  const source = new TestGitRepo();
  const fleetRepo = new TestGitRepo();
  const agents: TestAgent[] = [];
  let generator: GeneratorService | undefined;
  const used = clusters.slice(0, ENVS.length);

  const push = async (files: Record<string, string>) => {
    const sha = fleetRepo.commit(files);
    const next = generator!.nextCycle();
    await api.deps.redis.publish(api.store.keys.generatorTrigger, JSON.stringify({ reason: "test" }));
    await next;
    return sha;
  };
  const statuses = (check: (all: AppStatus[]) => boolean, what: string) =>
    eventually(
      async () => (await Promise.all(used.map((c) => api.deps.status.list(c.name)))).flat(),
      check,
      120_000,
      what,
    );

  beforeAll(async () => {
    source.commit({
      "apps/front/cm.yaml": configMapYaml("front", "git"),
      "apps/back/cm.yaml": configMapYaml("back", "git"),
      "apps/reports/cm.yaml": configMapYaml("reports", "git"),
    });
    for (const [i, cluster] of used.entries()) {
      agents.push(
        await startTestAgent(
          cluster,
          prefix,
          { labels: { env: ENVS[i]! }, driftWatch: { refreshMs: 300, debounceMs: 200 } },
          { key },
        ),
      );
    }
    fleetRepo.commit({
      "appsets/guestbook.yaml": guestbookYaml({ source: source.dir, namespace }),
      "appsets/reports.yaml": reportsYaml({ source: source.dir, namespace }),
    });
    generator = await startGeneratorService(
      {
        fleet: { repoURL: fleetRepo.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        rolloutTickMs: 300,
        webhook: { port: 0, secret: "s" },
        redis: { url: testbedRedis().url, prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: true, concurrency: 2 },
        allowLocalRepos: true,
      },
      silent,
    );
    await generator.nextCycle();
    await statuses(
      (all) => all.length === used.length * 3 && all.every((s) => s.sync === "Synced" && s.health === "Healthy"),
      "every Application Synced and Healthy",
    );
  });

  afterAll(async () => {
    await generator?.stop();
    for (const agent of agents.splice(0)) await agent.close();
    source.remove();
    fleetRepo.remove();
  });

  return { api, namespace, source, fleetRepo, agents, push, statuses };
}
