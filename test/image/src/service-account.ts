import { type ApiEndpoint, apiRequest } from "@flotilla/testbed";

export interface ServiceAccountKubeconfigOptions {
  /** The cluster, reached with its admin credentials to create the ServiceAccount and ask for its token. */
  admin: ApiEndpoint;
  clusterName: string;
  namespace: string;
  name: string;
  /** The ClusterRole bound to the ServiceAccount. */
  clusterRole: string;
  expirationSeconds?: number;
}

async function mustSucceed(what: string, answer: Promise<{ status: number; body: string }>, ok: number[]) {
  const res = await answer;
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 400)}`);
  return res;
}

/**
 * What an agent gets in its cluster: a ServiceAccount bound to a ClusterRole, a token minted for it with the
 * TokenRequest API, and a kubeconfig holding only that token (no client certificate, no admin user).
 */
export async function serviceAccountKubeconfig(options: ServiceAccountKubeconfigOptions): Promise<string> {
  const { admin, namespace, name } = options;
  await mustSucceed(
    "namespace",
    apiRequest(admin, "/api/v1/namespaces", {
      method: "POST",
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    }),
    [201, 409],
  );
  await mustSucceed(
    "service account",
    apiRequest(admin, `/api/v1/namespaces/${namespace}/serviceaccounts`, {
      method: "POST",
      body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name } },
    }),
    [201, 409],
  );
  await mustSucceed(
    "cluster role binding",
    apiRequest(admin, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      method: "POST",
      body: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: `${namespace}-${name}` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: options.clusterRole },
        subjects: [{ kind: "ServiceAccount", name, namespace }],
      },
    }),
    [201, 409],
  );
  const minted = await mustSucceed(
    "token request",
    apiRequest(admin, `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
      method: "POST",
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: options.expirationSeconds ?? 3600 },
      },
    }),
    [200, 201],
  );
  const token = (JSON.parse(minted.body) as { status: { token: string } }).status.token;
  const cluster = options.clusterName;
  // JSON is YAML: a kubeconfig any client reads.
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: {
          server: admin.apiUrl,
          "certificate-authority-data": Buffer.from(admin.caPem).toString("base64"),
        },
      },
    ],
    users: [{ name: `${namespace}-${name}`, user: { token } }],
    contexts: [{ name: cluster, context: { cluster, user: `${namespace}-${name}`, namespace } }],
    "current-context": cluster,
  });
}
