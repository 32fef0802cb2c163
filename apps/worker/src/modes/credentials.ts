import type { ClusterCredentials } from "@flotilla/store";

/**
 * A kubeconfig for stored credentials: as stored, or built around a bearer token, so that every cluster is
 * reached through one code path. The result holds a secret: never log it.
 */
export function kubeconfigFor(cluster: string, server: string, credentials: ClusterCredentials): string {
  if (credentials.kind === "kubeconfig") return credentials.kubeconfig;
  const tls: Record<string, unknown> = { server };
  if (credentials.caData !== undefined) tls["certificate-authority-data"] = credentials.caData;
  if (credentials.insecureSkipTLSVerify === true) tls["insecure-skip-tls-verify"] = true;
  // JSON is YAML: no YAML library needed, and no quoting mistakes.
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: tls }],
    users: [{ name: `${cluster}-flotilla`, user: { token: credentials.token } }],
    contexts: [{ name: cluster, context: { cluster, user: `${cluster}-flotilla` } }],
    "current-context": cluster,
  });
}
