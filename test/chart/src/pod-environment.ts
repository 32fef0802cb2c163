import type { KubeObject } from "@flotilla/kube";
import type { ContainerLike, PodSpecLike } from "./manifests.ts";

/** Secrets and ConfigMaps by name: their data as the kubelet would hand it to the container (decoded). */
export type DataSources = Record<string, Record<string, string>>;

export interface PodEnvironment {
  /** The container's environment variables, resolved. */
  env: Record<string, string>;
  /** The files its volumes put in front of it, by absolute path. */
  files: Map<string, string>;
}

export interface PodEnvironmentOptions {
  pod: PodSpecLike;
  container: string;
  /** The rendered objects: their Secrets and ConfigMaps are what the references resolve to first. */
  objects: readonly KubeObject[];
  /** Secrets the chart was told exist already (existingSecret values), with sample contents. @defaultValue none */
  existing?: DataSources;
  /** metadata.name, for fieldRef. @defaultValue "pod-0" */
  podName?: string;
  /** A StatefulSet's volumeClaimTemplates: mounts of these are disks, not files. @defaultValue none */
  claims?: readonly string[];
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * What one container of a rendered Pod sees at start: its environment with secret references resolved, and the
 * files of its Secret and ConfigMap mounts, plus what the kubelet adds (the service account mount and the API
 * server's address when a token is mounted). Pure: the caller hands in every source.
 */
export function podEnvironment(options: PodEnvironmentOptions): PodEnvironment {
  const { pod } = options;
  const container = pod.containers.find((c) => c.name === options.container);
  if (container === undefined) throw new Error(`no container ${options.container} in the Pod`);
  const sources = dataSources(options.objects, options.existing ?? {});
  const lookup = (kind: "Secret" | "ConfigMap", name: string, key: string): string => {
    const value = sources[kind][name]?.[key];
    if (value === undefined)
      throw new Error(`${container.name}: ${kind} ${name} has no key ${key} (rendered or given)`);
    return value;
  };

  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) {
      const ref = variable.valueFrom.secretKeyRef;
      env[variable.name] = lookup("Secret", ref.name, ref.key);
    } else if (variable.valueFrom?.fieldRef?.fieldPath === "metadata.name")
      env[variable.name] = options.podName ?? "pod-0";
    else throw new Error(`${container.name}: env ${variable.name} has a source this helper does not know`);
  }

  const files = new Map<string, string>();
  for (const mount of mountsOf(container)) {
    if (options.claims?.includes(mount.name)) continue;
    const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
    if (volume === undefined) throw new Error(`${container.name}: mount ${mount.name} names no volume`);
    const source = volume.secret
      ? { kind: "Secret" as const, name: volume.secret.secretName, items: volume.secret.items }
      : volume.configMap
        ? { kind: "ConfigMap" as const, name: volume.configMap.name, items: volume.configMap.items }
        : undefined;
    if (source === undefined) continue;
    const items =
      source.items ?? Object.keys(sources[source.kind][source.name] ?? {}).map((key) => ({ key, path: key }));
    for (const item of items) files.set(`${mount.mountPath}/${item.path}`, lookup(source.kind, source.name, item.key));
  }
  if (pod.automountServiceAccountToken !== false) {
    files.set(`${SERVICE_ACCOUNT_DIR}/token`, "service-account-token");
    files.set(`${SERVICE_ACCOUNT_DIR}/ca.crt`, "-----BEGIN CERTIFICATE-----");
    files.set(`${SERVICE_ACCOUNT_DIR}/namespace`, "default");
    env["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
    env["KUBERNETES_SERVICE_PORT"] = "443";
  }
  return { env, files };
}

/** A readFile over the environment's files that fails as the file system would (ENOENT). */
export function fileReader(environment: PodEnvironment): (path: string) => string {
  return (path) => {
    const text = environment.files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return text;
  };
}

function mountsOf(container: ContainerLike): Array<{ name: string; mountPath: string }> {
  return container.volumeMounts ?? [];
}

function dataSources(
  objects: readonly KubeObject[],
  existing: DataSources,
): Record<"Secret" | "ConfigMap", DataSources> {
  const out: Record<"Secret" | "ConfigMap", DataSources> = { Secret: { ...existing }, ConfigMap: {} };
  for (const object of objects) {
    if (object.kind === "Secret") {
      const data = (object["data"] ?? {}) as Record<string, string>;
      const strings = (object["stringData"] ?? {}) as Record<string, string>;
      out.Secret[object.metadata.name] = {
        ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])),
        ...strings,
      };
    } else if (object.kind === "ConfigMap") {
      out.ConfigMap[object.metadata.name] = (object["data"] ?? {}) as Record<string, string>;
    }
  }
  return out;
}
