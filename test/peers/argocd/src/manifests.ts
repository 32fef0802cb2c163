// The objects Argo CD expects to find in its namespace when it runs out of cluster: what its install manifests
// (manifests/install.yaml) would have created, minus Deployments and Services. Pure: data in, objects out.

/** A Kubernetes object as JSON. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<string, unknown>;

const partOf = { "app.kubernetes.io/part-of": "argocd" };

export interface SettingsOptions {
  namespace: string;
  /** argocd-cm data, on top of Argo CD's defaults (e.g. `timeout.reconciliation`). */
  config?: Record<string, string>;
  /** A random secret for argocd-secret's `server.secretkey`. */
  serverSecretKey: string;
}

/** The namespace, argocd-cm, argocd-cmd-params-cm, argocd-rbac-cm, argocd-secret and the `default` AppProject. */
export function argoCdSettings(options: SettingsOptions): KubeObject[] {
  const { namespace } = options;
  const meta = (name: string) => ({ name, namespace, labels: { ...partOf } });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta("argocd-cm"), data: { ...options.config } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta("argocd-cmd-params-cm"), data: {} },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta("argocd-rbac-cm"), data: {} },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("argocd-secret"),
      type: "Opaque",
      stringData: { "server.secretkey": options.serverSecretKey },
    },
    // argocd-server creates this project on its first start; the controllers alone do not, and refuse an
    // Application whose project is missing.
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: "default", namespace },
      spec: {
        sourceRepos: ["*"],
        destinations: [{ server: "*", namespace: "*" }],
        clusterResourceWhitelist: [{ group: "*", kind: "*" }],
      },
    },
  ];
}

/** One cluster Argo CD deploys to: what `argocd cluster add` would store. */
export interface ArgoCdCluster {
  name: string;
  server: string;
  caPem: string;
  token: string;
  /** Labels on the Secret: what the clusters generator's selector matches. */
  labels?: Record<string, string>;
  /** Annotations on the Secret: the clusters generator exposes them as metadata.annotations. */
  annotations?: Record<string, string>;
}

const clusterLabel = "argocd.argoproj.io/secret-type";

/** The cluster Secret (`argocd.argoproj.io/secret-type: cluster`) registering one destination cluster. */
export function clusterSecret(namespace: string, cluster: ArgoCdCluster): KubeObject {
  if (Object.hasOwn(cluster.labels ?? {}, clusterLabel)) {
    throw new Error(`cluster ${cluster.name}: label ${clusterLabel} is set by the harness, not by the caller`);
  }
  const config = {
    bearerToken: cluster.token,
    tlsClientConfig: { insecure: false, caData: Buffer.from(cluster.caPem).toString("base64") },
  };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `cluster-${cluster.name}`,
      namespace,
      labels: { ...cluster.labels, [clusterLabel]: "cluster" },
      annotations: { ...cluster.annotations },
    },
    type: "Opaque",
    stringData: { name: cluster.name, server: cluster.server, config: JSON.stringify(config) },
  };
}

const plurals: Record<string, string> = {
  Namespace: "namespaces",
  ConfigMap: "configmaps",
  Secret: "secrets",
  CustomResourceDefinition: "customresourcedefinitions",
  AppProject: "appprojects",
  Application: "applications",
  ApplicationSet: "applicationsets",
};

/** The REST path of an object (for server-side apply), or throws naming a kind the harness does not know. */
export function objectPath(object: KubeObject): string {
  const plural = plurals[object.kind];
  if (plural === undefined) {
    throw new Error(`${object.kind}/${object.metadata.name}: kind not known to the Argo CD harness`);
  }
  const group = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const ns = object.metadata.namespace === undefined ? "" : `/namespaces/${object.metadata.namespace}`;
  return `${group}${ns}/${plural}/${encodeURIComponent(object.metadata.name)}`;
}
