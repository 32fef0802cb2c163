import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness } from "@flotilla/api/testing";
import type { AppDetail, AppSummary, HistoryItem } from "@flotilla/api-contract/types";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { apiRequest, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { eventually, silent, startTestAgent, type TestAgent } from "@flotilla/worker/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../testing/run-cli.ts";

/**
 * The Applications API and `flotilla app` end to end: a real generator reads a fleet repository, an agent syncs a
 * real cluster, the API reads what they recorded, and the CLI runs as a process against it.
 */
describeWithClusters("flotilla app … against a running fleet (generator, agent, cluster, API, Redis)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `appcli${randomBytes(4).toString("hex")}:`;
  const key = randomBytes(32);
  const api = apiHarness(testbedRedis().url, { prefix, encryptionKey: key });
  const namespace = `appcli-${randomBytes(3).toString("hex")}`;
  const fleet = new TestGitRepo();
  const source = new TestGitRepo();
  let agent: TestAgent;
  let generator: GeneratorService;
  const manual = `man-${cluster.name}`;
  // Base64 of the Secret's value in Git and of the one a person writes on the cluster; neither may ever be shown.
  const GIT_PASSWORD = Buffer.from("git-secret-value").toString("base64");
  const LIVE_PASSWORD = Buffer.from("hand-typed-secret").toString("base64");
  const auto = `auto-${cluster.name}`;

  const configMap = (name: string, value: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { value: "${value}" }\n`;
  const appSet = (name: string, policy: string) => `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - list: { elements: [{ cluster: ${cluster.name} }] }
  template:
    metadata: { name: "${name === "manual" ? "man" : "auto"}-{{cluster}}" }
    spec:
      source: { repoURL: "${source.dir}", targetRevision: main, path: apps/${name} }
      destination: { cluster: "{{cluster}}", namespace: ${namespace} }
      syncPolicy: { ${policy}syncOptions: [CreateNamespace=true] }
`;

  const as = (who: "read" | "admin") => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.tokens[who] });
  const flotilla = (who: "read" | "admin", ...args: string[]) => runCli(args, as(who));
  const detail = async (application: string): Promise<AppDetail> => {
    const res = await api.call("read", { method: "GET", url: `/api/v1/applications/${cluster.name}/${application}` });
    return res.json() as AppDetail;
  };
  const liveValue = async (name: string): Promise<string | undefined> => {
    const res = await apiRequest(cluster, `/api/v1/namespaces/${namespace}/configmaps/${name}`);
    return res.status === 404 ? undefined : (JSON.parse(res.body) as { data?: { value?: string } }).data?.value;
  };

  beforeAll(async () => {
    source.commit({
      "apps/manual/cm.yaml": configMap("settings", "1"),
      "apps/manual/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\ndata: { password: ${GIT_PASSWORD} }\n`,
      "apps/auto/cm.yaml": configMap("auto", "a"),
    });
    fleet.commit({
      "appsets/manual.yaml": appSet("manual", ""),
      "appsets/auto.yaml": appSet("auto", "automated: { prune: true }, "),
    });
    // The periodic re-sync often, so that a manual Application is compared again and again.
    agent = await startTestAgent(cluster, prefix, { resync: { intervalMs: 1_000 } }, { localRender: false, key });
    generator = await startGeneratorService(
      {
        fleet: { repoURL: fleet.dir, revision: "main", paths: ["appsets/*.yaml"] },
        pollIntervalMs: 3_600_000,
        webhook: { port: 0, secret: "s" },
        redis: { url: testbedRedis().url, prefix, skipPolicyCheck: false },
        repoCacheDir: mkdtempSync(join(tmpdir(), "flotilla-repos-")),
        render: { enabled: true, concurrency: 2 },
        allowLocalRepos: true,
      },
      silent,
    );
    await generator.nextCycle();
    await eventually(
      () => detail(auto),
      (d) => d.status?.sync === "Synced",
      60_000,
      "the automated one synced",
    );
  }, 120_000);

  afterAll(async () => {
    await generator?.stop();
    await agent?.close();
    await apiRequest(cluster, `/api/v1/namespaces/${namespace}`, { method: "DELETE" }).catch(() => undefined);
    fleet.remove();
    source.remove();
  });

  it("a manual Application stays OutOfSync until `flotilla app sync … --wait`, which exits 0 once it converged", async () => {
    const pending = await eventually(
      () => detail(manual),
      (d) => d.status?.sync === "OutOfSync",
      60_000,
      "the manual one compared with Git",
    );
    expect(pending.conditions.map((c) => c.type)).toContain("ManualSyncPending");
    expect(pending.spec).toMatchObject({ metadata: { name: manual } });
    // Several re-syncs later, still not applied.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await detail(manual)).status?.sync).toBe("OutOfSync");
    expect(await liveValue("settings")).toBeUndefined();

    const listed = await flotilla("read", "app", "list", "--sync", "OutOfSync", "-o", "json");
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as AppSummary[]).map((s) => s.application)).toEqual([manual]);

    const readOnly = await flotilla("read", "app", "sync", manual, "--cluster", cluster.name);
    expect(readOnly.code).toBe(4);

    const synced = await flotilla(
      "admin",
      "app",
      "sync",
      manual,
      "--cluster",
      cluster.name,
      "--wait",
      "--timeout",
      "90s",
    );
    expect(synced.stdout).toBe(`sync of ${manual} on ${cluster.name} requested (manual policy)\n`);
    expect(synced.stderr).toMatch(
      new RegExp(`${manual} on ${cluster.name}: Synced, Healthy at [0-9a-f]{12}: synced\\n$`),
    );
    expect(synced.code, synced.stderr).toBe(0);
    expect(await liveValue("settings")).toBe("1");
    const after = await detail(manual);
    expect(after.status).toMatchObject({ sync: "Synced", health: "Healthy" });
    expect(after.syncRequest).toBeUndefined();
  });

  it("a hand edit shows as desired vs live in `app get`", async () => {
    await eventually(
      () => liveValue("settings"),
      (v) => v === "1",
      60_000,
      "synced before the edit",
    );
    const patched = await apiRequest(
      cluster,
      `/api/v1/namespaces/${namespace}/configmaps/settings?fieldManager=kubectl-edit`,
      { method: "PATCH", body: { data: { value: "edited by hand" } }, contentType: "application/merge-patch+json" },
    );
    expect(patched.status).toBe(200);
    const drifted = await eventually(
      () => detail(manual),
      (d) => d.diffs.length > 0,
      60_000,
      "the edit seen",
    );
    expect(drifted.diffs).toEqual([
      {
        id: `/ConfigMap/${namespace}/settings`,
        paths: ["data.value"],
        differences: [{ path: "data.value", desired: '"1"', live: '"edited by hand"' }],
      },
    ]);
    const shown = await flotilla("read", "app", "get", manual, "--cluster", cluster.name);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(
      `Diff /ConfigMap/${namespace}/settings (desired in Git vs live on the cluster):\n  data.value\n    - live:    "edited by hand"\n    + desired: "1"\n`,
    );
    expect(shown.stdout).toMatch(/\nKIND\s+NAMESPACE\s+NAME\s+ACTION\s+HEALTH\s+MESSAGE\n/);
    expect(shown.stdout).toMatch(new RegExp(`\\nConfigMap\\s+${namespace}\\s+settings\\s+skipped\\s+Healthy`));
    const json = await flotilla("read", "app", "get", manual, "--cluster", cluster.name, "-o", "json");
    expect((JSON.parse(json.stdout) as AppDetail).diffs).toEqual(drifted.diffs);
  });

  it("refresh: a comparison for a manual Application, a sync for an automated one, and a generator cycle", async () => {
    const before = (await detail(auto)).status?.lastSyncAt ?? "";
    const cycle = generator.nextCycle();
    const refreshed = await flotilla("admin", "app", "refresh", auto, "--cluster", cluster.name, "-o", "json");
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({ application: auto, enqueued: "sync", generatorCycle: true });
    await cycle;
    // The refresh compared with the cluster (and recorded the look) although nothing changed in Git.
    await eventually(
      () => detail(auto),
      (d) => (d.status?.lastSyncAt ?? "") > before && d.status?.sync === "Synced",
      60_000,
      "the automated one checked again",
    );
    const manualRefresh = await flotilla("admin", "app", "refresh", manual, "--cluster", cluster.name);
    expect(manualRefresh.stdout).toBe(
      `refresh of ${manual} on ${cluster.name}: a comparison (manual policy) enqueued; the generator reads Git again\n`,
    );
    // The refresh compared: nothing was applied to the manual one, its edit stays.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await liveValue("settings")).toBe("edited by hand");
  });

  it("list filters over the real fleet, and history with --at", async () => {
    const byAppSet = await flotilla("read", "app", "list", "--appset", "auto", "--cluster", cluster.name, "-o", "json");
    expect((JSON.parse(byAppSet.stdout) as AppSummary[]).map((s) => [s.appSet, s.application, s.sync])).toEqual([
      ["auto", auto, "Synced"],
    ]);
    const table = await flotilla("read", "app", "list", "--cluster", cluster.name);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^CLUSTER\s+APPSET\s+APPLICATION\s+SYNC\s+HEALTH\s+REVISION\s+LAST SYNC\s+MESSAGE$/,
    );
    expect(table.stdout).toMatch(new RegExp(`\\n${cluster.name}\\s+auto\\s+${auto}\\s+Synced\\s+Healthy\\s`));
    const none = await flotilla("read", "app", "list", "--health", "Degraded", "--cluster", cluster.name);
    expect(none.stdout).toBe("no Applications\n");
    const bogus = await flotilla("read", "app", "list", "--sync", "Bogus");
    expect(bogus.code).toBe(2);

    const history = await flotilla("read", "app", "history", manual, "--cluster", cluster.name, "-o", "json");
    expect(history.code, history.stderr).toBe(0);
    const items = JSON.parse(history.stdout) as HistoryItem[];
    expect(items.map((e) => e.result)).toContain("Synced");
    const synced = items.find((e) => e.result === "Synced")!;
    const at = await flotilla(
      "read",
      "app",
      "history",
      manual,
      "--cluster",
      cluster.name,
      "--at",
      new Date().toISOString(),
    );
    expect(at.stdout).toMatch(new RegExp(`^${manual} on ${cluster.name} at \\S+ ran ${synced.revision}\\n$`));
    expect(at.code).toBe(0);
    const before = await flotilla("read", "app", "history", manual, "--cluster", cluster.name, "--at", "2001-01-01");
    expect(before.stdout).toBe(`${manual} was not on ${cluster.name} at 2001-01-01T00:00:00.000Z\n`);
    expect(before.code).toBe(1);
    const garbage = await flotilla("read", "app", "history", manual, "--cluster", cluster.name, "--at", "last tuesday");
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('--at "last tuesday" is not an ISO-8601 time');
    const missing = await flotilla("read", "app", "get", "nope", "--cluster", cluster.name);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Application "nope"');
  });

  it("a hand-edited Secret shows where it differs, never its values, in every output", async () => {
    const patched = await apiRequest(
      cluster,
      `/api/v1/namespaces/${namespace}/secrets/creds?fieldManager=kubectl-edit`,
      { method: "PATCH", body: { data: { password: LIVE_PASSWORD } }, contentType: "application/merge-patch+json" },
    );
    expect(patched.status).toBe(200);
    const drifted = await eventually(
      () => detail(manual),
      (d) => d.diffs.some((x) => x.id === `/Secret/${namespace}/creds`),
      60_000,
      "the Secret's edit seen",
    );
    expect(drifted.diffs.find((x) => x.id === `/Secret/${namespace}/creds`)).toEqual({
      id: `/Secret/${namespace}/creds`,
      paths: ["data.password"],
      differences: [{ path: "data.password", desired: "(redacted)", live: "(redacted)" }],
    });
    for (const output of ["table", "json", "yaml"]) {
      const shown = await flotilla("read", "app", "get", manual, "--cluster", cluster.name, "-o", output);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain("data.password");
      expect(shown.stdout).not.toContain(GIT_PASSWORD);
      expect(shown.stdout).not.toContain(LIVE_PASSWORD);
    }
    const stored = JSON.stringify(await api.deps.redis.hgetall(`${prefix}status:${cluster.name}`));
    expect(stored).not.toContain(GIT_PASSWORD);
    expect(stored).not.toContain(LIVE_PASSWORD);
  });
});
