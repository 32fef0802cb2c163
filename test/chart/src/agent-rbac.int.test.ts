import { randomBytes } from "node:crypto";
import { failures, type KubeObject, ResourceManager } from "@flotilla/kube";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { eventually, startTestAgent, storeAndSync, type TestAgent } from "@flotilla/worker/testing";
import { application, configMapYaml, deploymentYaml } from "@flotilla/worker/testing/fixtures";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { stringify } from "yaml";
import { template } from "./helm.ts";
import { valueSet } from "./value-sets.ts";

/**
 * The agent's default ClusterRole is enough for what Applications usually hold, and no more: an agent acting as
 * the chart's ServiceAccount, with only a token of it, syncs an Application of common kinds and is refused a kind
 * the rules leave out.
 */
describeWithClusters("the agent chart's default RBAC, used by a real agent", (clusters) => {
  const cluster = clusters[1] ?? clusters[0]!;
  const namespace = `chart-agent-${randomBytes(3).toString("hex")}`;
  const prefix = `chartrbac-${randomBytes(3).toString("hex")}:`;
  const repo = new TestGitRepo();
  let admin: KubeConfig;
  let rbacObjects: KubeObject[] = [];
  let agent: TestAgent | undefined;
  const appNamespaces: string[] = [];

  beforeAll(async () => {
    admin = new KubeConfig();
    admin.loadFromString(cluster.kubeconfig);
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // The chart's ServiceAccount, ClusterRole and binding; its Deployment would only start a simulated Pod.
    const objects = await template({ release: "fl", namespace, files: [valueSet("agent").file] });
    rbacObjects = objects.filter((o) => ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"].includes(o.kind));
    const changes = await ResourceManager.fromKubeconfig(cluster.kubeconfig).apply(rbacObjects, {
      application: "chart-agent-rbac",
      commit: "chart-test",
      namespace,
    });
    expect(failures(changes)).toEqual([]);

    const account = rbacObjects.find((o) => o.kind === "ServiceAccount")!.metadata.name;
    const token = await core.createNamespacedServiceAccountToken({
      name: account,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    agent = await startTestAgent(cluster, prefix, { kubeconfig: tokenKubeconfig(token.status?.token ?? "") });
  });

  afterAll(async () => {
    await agent?.close();
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    const core = admin.makeApiClient(CoreV1Api);
    await Promise.allSettled([
      ...rbacObjects.map((o) =>
        o.kind === "ClusterRole"
          ? rbac.deleteClusterRole({ name: o.metadata.name })
          : o.kind === "ClusterRoleBinding"
            ? rbac.deleteClusterRoleBinding({ name: o.metadata.name })
            : Promise.resolve(),
      ),
      ...[namespace, ...appNamespaces].map((name) => core.deleteNamespace({ name })),
    ]);
    repo.remove();
  });

  /** A kubeconfig holding nothing but the ServiceAccount's token: what the agent has in its Pod. */
  function tokenKubeconfig(token: string): string {
    return stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: cluster.name, cluster: { server: cluster.apiUrl, "certificate-authority-data": b64(cluster.caPem) } },
      ],
      users: [{ name: "agent", user: { token } }],
      contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: "agent" } }],
      "current-context": cluster.name,
    });
  }

  it("syncs an Application of common kinds into a namespace it creates", async () => {
    repo.commit({
      "common/cm.yaml": configMapYaml("settings", "1"),
      "common/deploy.yaml": deploymentYaml("web"),
      "common/svc.yaml": serviceYaml("web"),
      "common/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: web }\n",
      "common/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: { name: web }\nstringData: { k: v }\n",
    });
    const appNamespace = `chart-app-${randomBytes(3).toString("hex")}`;
    appNamespaces.push(appNamespace);
    const app = application({
      name: "common",
      repoURL: repo.dir,
      path: "common",
      cluster: cluster.name,
      namespace: appNamespace,
    });
    const { ref } = await storeAndSync(agent!, "chart-rbac", app);
    const status = await eventually(
      () => agent!.runtime.status.get(ref),
      (s) => s?.sync === "Synced" || s?.sync === "Error",
      60_000,
      "the common Application synced",
    );
    expect(status?.lastError?.message).toBeUndefined();
    expect(status?.sync).toBe("Synced");
    const cm = await admin
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: "settings", namespace: appNamespace });
    expect(cm.metadata?.managedFields?.map((f) => f.manager)).toContain("flotilla");
  });

  it("is refused a kind its rules leave out, the API server naming the ServiceAccount", async () => {
    repo.commit({
      "roles/role.yaml":
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: reader }\n" +
        'rules: [{ apiGroups: [""], resources: [pods], verbs: [get] }]\n',
    });
    const appNamespace = `chart-app-${randomBytes(3).toString("hex")}`;
    appNamespaces.push(appNamespace);
    const app = application({
      name: "roles",
      repoURL: repo.dir,
      path: "roles",
      cluster: cluster.name,
      namespace: appNamespace,
    });
    const { ref } = await storeAndSync(agent!, "chart-rbac", app);
    const status = await eventually(
      () => agent!.runtime.status.get(ref),
      (s) => s?.lastError !== undefined,
      60_000,
      "the Role refused",
    );
    expect(status?.sync).not.toBe("Synced");
    expect(status?.lastError?.message).toContain(`system:serviceaccount:${namespace}:fl-flotilla-agent`);
    expect(status?.lastError?.message).toMatch(/roles/);
  });
});

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

function serviceYaml(name: string): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: 8080 }]
`;
}
