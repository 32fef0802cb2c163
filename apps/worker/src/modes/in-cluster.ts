import { isIPv6 } from "node:net";
import { join } from "node:path";

/** Where Kubernetes mounts a pod's service account: token, CA certificate and namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface InClusterEndpoint {
  /** KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, as the kubelet sets them in every pod. */
  host: string;
  port: string;
  /** The mounted service account's directory. */
  serviceAccountDir: string;
}

/**
 * A kubeconfig for the pod's own service account. It names the token and CA files rather than copying them:
 * projected tokens are rotated by the kubelet (about hourly), and the client re-reads the file, so a long-running
 * agent keeps working where a copied token would expire.
 */
export function inClusterKubeconfig(endpoint: InClusterEndpoint): string {
  const host = isIPv6(endpoint.host) ? `[${endpoint.host}]` : endpoint.host;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "in-cluster",
        cluster: {
          server: `https://${host}:${endpoint.port}`,
          "certificate-authority": join(endpoint.serviceAccountDir, "ca.crt"),
        },
      },
    ],
    users: [
      {
        name: "in-cluster",
        user: {
          "auth-provider": { name: "tokenFile", config: { tokenFile: join(endpoint.serviceAccountDir, "token") } },
        },
      },
    ],
    contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "in-cluster" } }],
    "current-context": "in-cluster",
  };
  // JSON is YAML: no serializer needed, and no quoting to get wrong.
  return JSON.stringify(config, null, 2);
}
