import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SyncQueues } from "@flotilla/queue";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningMode } from "../runtime.ts";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, type TestRuntime, testKey, testRuntime } from "../testing/harness.ts";
import { startAgent } from "./agent.ts";
import { inClusterKubeconfig } from "./in-cluster.ts";

describeWithClusters("an agent with only its pod's service account (real cluster, real token)", (clusters) => {
  const own = clusters[0]!;
  const prefix = `${uniqueName("agsa")}:`;
  const repo = new TestGitRepo();
  const names = { account: uniqueName("flotilla-agent"), namespace: uniqueName("flotilla-system") };
  let admin: KubeConfig;
  let harness: TestRuntime;
  let agent: RunningMode | undefined;
  let queues: SyncQueues;

  beforeAll(async () => {
    admin = new KubeConfig();
    admin.loadFromString(own.kubeconfig);
    harness = await testRuntime(testbedRedis().url, prefix, testKey());
    queues = new SyncQueues({ connection: harness.redis, prefix: `${prefix}bull` });
  });

  afterAll(async () => {
    await agent?.stop(2_000);
    await queues.close();
    await harness.close();
    await admin
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: names.namespace })
      .catch(() => undefined);
    repo.remove();
  });

  /** What the kubelet mounts in a pod: a token the API server issued for the service account, and the CA. */
  async function mountServiceAccount(): Promise<string> {
    const core = admin.makeApiClient(CoreV1Api);
    const { account, namespace } = names;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: account } } });
    const token = await core.createNamespacedServiceAccountToken({
      name: account,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const dir = mkdtempSync(join(tmpdir(), "flotilla-sa-"));
    writeFileSync(join(dir, "token"), token.status?.token ?? "");
    writeFileSync(join(dir, "ca.crt"), own.caPem);
    writeFileSync(join(dir, "namespace"), namespace);
    return dir;
  }

  async function grantClusterAdmin(): Promise<void> {
    const { account, namespace } = names;
    await admin.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
      body: {
        metadata: { name: account },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: account, namespace }],
      },
    });
  }

  it("registers its cluster and syncs as the service account, with the service account's rights", async () => {
    const serviceAccountDir = await mountServiceAccount();
    const api = new URL(own.apiUrl);
    const kubeconfig = inClusterKubeconfig({ host: api.hostname, port: api.port, serviceAccountDir });
    agent = await startAgent(harness.runtime, { cluster: own.name, kubeconfig, labels: { env: "dev" } });
    expect(await harness.store.clusters.get(own.name)).toMatchObject({ mode: "agent", hasCredentials: false });

    const commit = repo.commit({ "app/cm.yaml": configMapYaml("in-cluster", "1") });
    const namespace = uniqueName("sa");
    const app = application({ name: "in-cluster", repoURL: repo.dir, path: "app", cluster: own.name, namespace });
    const ref = { cluster: own.name, appSet: "sa-it", application: "in-cluster" };
    // Before any grant the API server refuses the service account by name: the agent acts as it, nothing else.
    await queues.enqueueSync(syncJob("sa-it", app));
    const refused = await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s?.sync === "Error",
      30_000,
      "refused",
    );
    expect(refused?.lastError?.message).toContain(`system:serviceaccount:${names.namespace}:${names.account}`);

    await grantClusterAdmin();
    await queues.enqueueSync({ ...syncJob("sa-it", app), desiredDigest: "after-grant" });
    const status = await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s?.sync === "Synced",
      30_000,
      "synced as the service account",
    );
    expect(status?.revision).toBe(commit);
    const cm = await admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "in-cluster", namespace });
    expect(cm.metadata?.managedFields?.map((f) => f.manager)).toContain("flotilla");
    expect(cm.data).toEqual({ value: "1" });
  });
});
