import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestbedBinaries } from "./binaries.ts";
import { type ApiEndpoint, apiRequest } from "./kube-http.ts";
import { ManagedProcess } from "./process.ts";
import { waitUntilReady } from "./wait.ts";

/**
 * What turns a Deployment into Available Pods without a kubelet: kube-controller-manager (Deployment →
 * ReplicaSet → Pods), kube-scheduler (Pod → Node; KWOK does not schedule) and KWOK (a simulated Node whose
 * Pods it marks Running and Ready, except the broken ones of `kwokFailureStagesFile`).
 */
export interface WorkloadComponents {
  controllerManager?: ManagedProcess;
  scheduler?: ManagedProcess;
  kwok?: ManagedProcess;
}

export interface WorkloadConfig {
  binaries: TestbedBinaries;
  clusterName: string;
  dir: string;
  runDir: string;
  endpoint: ApiEndpoint;
  /** kubeconfig files, one per component identity, written by the caller. */
  kubeconfigs: { controllerManager: string; scheduler: string; kwok: string };
  serviceAccountPrivateKeyFile: string;
  caFile: string;
  withControllerManager: boolean;
  withKwok: boolean;
}

export const kwokNodeName = "kwok-node-0";

/**
 * The test bed's own KWOK stages, loaded after the default set: Pods with an image from `unpullable.invalid`
 * stay Pending in ImagePullBackOff; the annotations `flotilla.test/readiness: fail` and
 * `flotilla.test/liveness: fail` make containers with a readiness probe never ready and containers with a
 * liveness probe restart in CrashLoopBackOff. Every other Pod becomes Running and Ready as before. KWOK reads it
 * once at start, so clusters already running keep the stages they started with.
 */
export const kwokFailureStagesFile = fileURLToPath(new URL("../kwok/failure-stages.yaml", import.meta.url));

function startControllerManager(config: WorkloadConfig): ManagedProcess {
  return ManagedProcess.start({
    name: `kube-controller-manager-${config.clusterName}`,
    command: config.binaries.kubeControllerManager,
    args: [
      `--kubeconfig=${config.kubeconfigs.controllerManager}`,
      "--leader-elect=false",
      // No metrics or health endpoint: nothing scrapes it, and a port per cluster is one more to collide.
      "--secure-port=0",
      `--cluster-name=${config.clusterName}`,
      `--service-account-private-key-file=${config.serviceAccountPrivateKeyFile}`,
      `--root-ca-file=${config.caFile}`,
      "--use-service-account-credentials=false",
      "--profiling=false",
    ],
    logFile: join(config.dir, "kube-controller-manager.log"),
    runDir: config.runDir,
  });
}

function startScheduler(config: WorkloadConfig): ManagedProcess {
  return ManagedProcess.start({
    name: `kube-scheduler-${config.clusterName}`,
    command: config.binaries.kubeScheduler,
    args: [
      `--kubeconfig=${config.kubeconfigs.scheduler}`,
      "--leader-elect=false",
      "--secure-port=0",
      "--profiling=false",
    ],
    logFile: join(config.dir, "kube-scheduler.log"),
    runDir: config.runDir,
  });
}

function startKwok(config: WorkloadConfig): ManagedProcess {
  return ManagedProcess.start({
    name: `kwok-${config.clusterName}`,
    command: config.binaries.kwok,
    args: [
      `--kubeconfig=${config.kubeconfigs.kwok}`,
      `--config=${config.binaries.kwokStages}`,
      `--config=${kwokFailureStagesFile}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--node-lease-duration-seconds=40",
      "--cidr=10.244.0.1/16",
      "--node-ip=10.0.0.1",
    ],
    logFile: join(config.dir, "kwok.log"),
    runDir: config.runDir,
  });
}

/** The simulated node KWOK manages: no taint, so every Pod of a test lands on it. */
function fakeNode(): object {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: kwokNodeName,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": kwokNodeName,
        type: "kwok",
      },
    },
    status: {
      allocatable: { cpu: "64", memory: "256Gi", pods: "1000" },
      capacity: { cpu: "64", memory: "256Gi", pods: "1000" },
    },
  };
}

async function createFakeNode(endpoint: ApiEndpoint): Promise<void> {
  const res = await apiRequest(endpoint, "/api/v1/nodes", { method: "POST", body: fakeNode() });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating node ${kwokNodeName} failed: HTTP ${res.status} ${res.body}`);
  }
}

async function nodeIsReady(endpoint: ApiEndpoint): Promise<boolean> {
  const res = await apiRequest(endpoint, `/api/v1/nodes/${kwokNodeName}`, { timeoutMs: 2_000 });
  if (res.status !== 200) return false;
  const node = JSON.parse(res.body) as { status?: { conditions?: Array<{ type: string; status: string }> } };
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** The service-account controller has created "default" in "default": Pods can now be admitted. */
async function defaultServiceAccountExists(endpoint: ApiEndpoint): Promise<boolean> {
  const res = await apiRequest(endpoint, "/api/v1/namespaces/default/serviceaccounts/default", { timeoutMs: 2_000 });
  return res.status === 200;
}

/** Starts the components and waits until the simulated node is Ready and Pods can be admitted. */
export async function startWorkloadComponents(config: WorkloadConfig): Promise<WorkloadComponents> {
  const components: WorkloadComponents = {};
  try {
    await startAndWait(config, components);
    return components;
  } catch (error) {
    await stopWorkloadComponents(components);
    throw error;
  }
}

export async function stopWorkloadComponents(components: WorkloadComponents): Promise<void> {
  await Promise.all([components.kwok?.stop(), components.scheduler?.stop(), components.controllerManager?.stop()]);
}

async function startAndWait(config: WorkloadConfig, components: WorkloadComponents): Promise<void> {
  if (config.withControllerManager) {
    components.controllerManager = startControllerManager(config);
  }
  if (config.withKwok) {
    components.scheduler = startScheduler(config);
    await createFakeNode(config.endpoint);
    components.kwok = startKwok(config);
  }
  const waits: Promise<void>[] = [];
  if (components.controllerManager) {
    waits.push(
      waitUntilReady(components.controllerManager, () => defaultServiceAccountExists(config.endpoint), 120_000, 200),
    );
  }
  if (components.kwok) {
    waits.push(waitUntilReady(components.kwok, () => nodeIsReady(config.endpoint), 120_000, 200));
  }
  await Promise.all(waits);
}
