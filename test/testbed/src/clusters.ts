import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ApiServerConfig, startApiServer } from "./apiserver.ts";
import { type BinaryName, locateBinaries, requireBinaries, type TestbedBinaries } from "./binaries.ts";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createServiceAccountKeys,
  createServingCertificate,
  newToken,
} from "./certificates.ts";
import { createRunDir, removeRunDir } from "./cleanup.ts";
import { Cluster, type ClusterInfo } from "./cluster.ts";
import { type Etcd, startEtcd } from "./etcd.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import { logStep } from "./log.ts";
import { startWorkloadComponents } from "./workloads.ts";

export interface StartClustersOptions {
  count: number;
  /** Cluster names; defaults to alpha, bravo, charlie, … then cluster-11, cluster-12, … */
  names?: readonly string[];
  /**
   * Run kube-controller-manager per cluster (Deployments get ReplicaSets and Pods, namespaces get deleted,
   * service accounts get created). @defaultValue true
   */
  withControllerManager?: boolean;
  /** Run kube-scheduler and KWOK with one simulated node per cluster, so Pods run and become Ready. @defaultValue true */
  withKwok?: boolean;
  /** @defaultValue locateBinaries() */
  binaries?: TestbedBinaries;
}

/** N clusters sharing one etcd, each with its own API server, port, certificate, service-account key and user. */
export interface ClusterSet {
  clusters: Cluster[];
  /** Holds certificates, etcd data and every process's log; removed by stop(). */
  runDir: string;
  etcdUrl: string;
  /** The shared etcd's pid, for measuring it. */
  etcdPid: number;
  stop(): Promise<void>;
}

const defaultNames = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"];

export function clusterNames(count: number, names?: readonly string[]): string[] {
  const chosen = Array.from({ length: count }, (_, i) => names?.[i] ?? defaultNames[i] ?? `cluster-${i + 1}`);
  if (new Set(chosen).size !== chosen.length) throw new Error(`cluster names must be unique: ${chosen.join(", ")}`);
  for (const name of chosen) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new Error(`cluster name ${name} is not a DNS label`);
  }
  return chosen;
}

interface Identity {
  user: string;
  token: string;
}

function tokenFileLine(identity: Identity): string {
  // Every identity is a cluster admin: the bed tests Flotilla, not RBAC, and the controller-manager runs all
  // controllers under its own identity.
  return `${identity.token},${identity.user},${identity.user},"system:masters"`;
}

interface ClusterPlan {
  name: string;
  options: Required<Omit<StartClustersOptions, "names" | "count">>;
  runDir: string;
  ca: CertificateAuthority;
  etcd: Etcd;
}

async function startCluster(plan: ClusterPlan): Promise<Cluster> {
  const { name, runDir, ca, etcd, options } = plan;
  const dir = join(runDir, name);
  await mkdir(dir, { recursive: true });
  const [serving, serviceAccount] = await Promise.all([
    createServingCertificate(ca, dir, `kube-apiserver-${name}`),
    createServiceAccountKeys(dir),
  ]);
  const admin: Identity = { user: `flotilla-${name}-admin`, token: newToken() };
  const components = {
    controllerManager: { user: `system:kube-controller-manager:${name}`, token: newToken() },
    scheduler: { user: `system:kube-scheduler:${name}`, token: newToken() },
    kwok: { user: `kwok:${name}`, token: newToken() },
  };
  const tokenFile = join(dir, "tokens.csv");
  await writeFile(tokenFile, [admin, ...Object.values(components)].map(tokenFileLine).join("\n") + "\n", {
    mode: 0o600,
  });
  const etcdPrefix = `/flotilla/${name}`;
  logStep(`starting kube-apiserver for ${name}`);
  const apiServerConfig: ApiServerConfig = {
    binary: options.binaries.kubeApiServer,
    clusterName: name,
    dir,
    runDir,
    etcdUrl: etcd.clientUrl,
    etcdPrefix,
    servingCertFile: serving.certFile,
    servingKeyFile: serving.keyFile,
    serviceAccountPublicKeyFile: serviceAccount.publicKeyFile,
    serviceAccountPrivateKeyFile: serviceAccount.privateKeyFile,
    tokenFile,
    caPem: ca.certPem,
    probeToken: admin.token,
  };
  const apiServer = await startApiServer(apiServerConfig);
  const kubeconfigFor = (identity: Identity): string =>
    renderKubeconfig({ clusterName: name, apiUrl: apiServer.apiUrl, caPem: ca.certPem, ...identity });
  const kubeconfig = kubeconfigFor(admin);
  const kubeconfigPath = join(dir, "kubeconfig.yaml");
  const componentKubeconfigs = {
    controllerManager: join(dir, "kube-controller-manager.kubeconfig"),
    scheduler: join(dir, "kube-scheduler.kubeconfig"),
    kwok: join(dir, "kwok.kubeconfig"),
  };
  await Promise.all([
    writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 }),
    writeFile(componentKubeconfigs.controllerManager, kubeconfigFor(components.controllerManager), { mode: 0o600 }),
    writeFile(componentKubeconfigs.scheduler, kubeconfigFor(components.scheduler), { mode: 0o600 }),
    writeFile(componentKubeconfigs.kwok, kubeconfigFor(components.kwok), { mode: 0o600 }),
  ]);
  const endpoint = { apiUrl: apiServer.apiUrl, caPem: ca.certPem, token: admin.token };
  let workloads: Awaited<ReturnType<typeof startWorkloadComponents>>;
  try {
    logStep(`starting workload components for ${name}`);
    workloads = await startWorkloadComponents({
      binaries: options.binaries,
      clusterName: name,
      dir,
      runDir,
      endpoint,
      kubeconfigs: componentKubeconfigs,
      serviceAccountPrivateKeyFile: serviceAccount.privateKeyFile,
      caFile: ca.certFile,
      withControllerManager: options.withControllerManager,
      withKwok: options.withKwok,
    });
  } catch (error) {
    await apiServer.process.stop();
    throw error;
  }
  const info: ClusterInfo = {
    name,
    apiUrl: apiServer.apiUrl,
    kubeconfig,
    kubeconfigPath,
    user: admin.user,
    token: admin.token,
    caPem: ca.certPem,
    etcdPrefix,
    apiServerPid: apiServer.process.pid,
    logDir: dir,
    runsWorkloads: options.withControllerManager && options.withKwok,
  };
  return new Cluster(info, apiServer, apiServerConfig, workloads);
}

function neededBinaries(withControllerManager: boolean, withKwok: boolean): BinaryName[] {
  const needed: BinaryName[] = ["kubeApiServer", "etcd"];
  if (withControllerManager) needed.push("kubeControllerManager");
  if (withKwok) needed.push("kubeScheduler", "kwok", "kwokStages");
  return needed;
}

/**
 * Starts `count` Kubernetes control planes from real binaries. Everything is stopped and removed by
 * `stop()`, and also when the process exits or is interrupted; a failed start stops what it had started.
 */
export async function startClusters(options: StartClustersOptions): Promise<ClusterSet> {
  const resolved = {
    withControllerManager: options.withControllerManager ?? true,
    withKwok: options.withKwok ?? true,
    binaries: options.binaries ?? locateBinaries(),
  };
  requireBinaries(resolved.binaries, neededBinaries(resolved.withControllerManager, resolved.withKwok));
  const names = clusterNames(options.count, options.names);
  const runDir = createRunDir();
  let etcd: Etcd | undefined;
  try {
    const ca = await createCertificateAuthority(runDir);
    logStep(`starting etcd in ${runDir}`);
    etcd = await startEtcd(resolved.binaries.etcd, runDir);
    const sharedEtcd = etcd;
    const results = await Promise.allSettled(
      names.map((name) => startCluster({ name, options: resolved, runDir, ca, etcd: sharedEtcd })),
    );
    const clusters = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) {
      await Promise.all(clusters.map((c) => c.stop()));
      throw failure.reason;
    }
    const stop = async (): Promise<void> => {
      await Promise.all(clusters.map((c) => c.stop()));
      await sharedEtcd.process.stop();
      removeRunDir(runDir);
    };
    return { clusters, runDir, etcdUrl: sharedEtcd.clientUrl, etcdPid: sharedEtcd.process.pid, stop };
  } catch (error) {
    await etcd?.process.stop();
    removeRunDir(runDir);
    throw error;
  }
}
