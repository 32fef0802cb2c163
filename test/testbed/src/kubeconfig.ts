import { stringify } from "yaml";

export interface KubeconfigInput {
  clusterName: string;
  apiUrl: string;
  caPem: string;
  /** The user's name in the kubeconfig: unique per cluster so that merged kubeconfigs never collide. */
  user: string;
  token: string;
}

/** A kubeconfig with one cluster, one token user and one current context, all named after the cluster. */
export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.clusterName,
        cluster: {
          server: input.apiUrl,
          "certificate-authority-data": Buffer.from(input.caPem).toString("base64"),
        },
      },
    ],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{ name: input.clusterName, context: { cluster: input.clusterName, user: input.user } }],
    "current-context": input.clusterName,
    preferences: {},
  });
}
