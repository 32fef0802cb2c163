import { type ApiServer, type ApiServerConfig, startApiServer } from "./apiserver.ts";
import type { ApiEndpoint } from "./kube-http.ts";
import { stopWorkloadComponents, type WorkloadComponents } from "./workloads.ts";

/**
 * Everything a test needs to reach one cluster. Plain data, so the global setup can hand it to test workers
 * (vitest `provide`), and fault injection works from there too, by pid.
 */
export interface ClusterInfo extends ApiEndpoint {
  name: string;
  apiUrl: string;
  /** A kubeconfig (YAML) with one cluster, one context and one user, all unique to this cluster. */
  kubeconfig: string;
  kubeconfigPath: string;
  /** The kubeconfig's user: `flotilla-<cluster>-admin`, in group system:masters. */
  user: string;
  token: string;
  caPem: string;
  etcdPrefix: string;
  apiServerPid: number;
  /** Where this cluster's processes write their logs. */
  logDir: string;
  /** True when controller-manager, scheduler and KWOK run, so Deployments become Available. */
  runsWorkloads: boolean;
}

/**
 * Makes the cluster unreachable: its API server is stopped (SIGSTOP) with its port still open, so requests are
 * accepted by the kernel and then hang, as with a cluster behind a dead network path. Clients must time out.
 */
export function pauseCluster(info: Pick<ClusterInfo, "apiServerPid">): void {
  process.kill(info.apiServerPid, "SIGSTOP");
}

/** Brings a paused cluster back; nothing was lost, since etcd kept running. */
export function resumeCluster(info: Pick<ClusterInfo, "apiServerPid">): void {
  process.kill(info.apiServerPid, "SIGCONT");
}

/** A started cluster: its data plus the means to pause, resume, take down, bring up and stop it. */
export class Cluster {
  readonly info: ClusterInfo;
  #apiServer: ApiServer;
  #apiServerDown = false;
  readonly #apiServerConfig: ApiServerConfig;
  readonly #workloads: WorkloadComponents;

  constructor(
    info: ClusterInfo,
    apiServer: ApiServer,
    apiServerConfig: ApiServerConfig,
    workloads: WorkloadComponents,
  ) {
    this.info = info;
    this.#apiServer = apiServer;
    this.#apiServerConfig = apiServerConfig;
    this.#workloads = workloads;
  }

  get name(): string {
    return this.info.name;
  }
  get apiUrl(): string {
    return this.info.apiUrl;
  }
  get kubeconfig(): string {
    return this.info.kubeconfig;
  }
  get kubeconfigPath(): string {
    return this.info.kubeconfigPath;
  }

  /** The pids of this cluster's own processes (not the shared etcd), for measuring them. */
  get pids(): number[] {
    const { controllerManager, scheduler, kwok } = this.#workloads;
    return [this.#apiServer.process, controllerManager, scheduler, kwok].flatMap((p) => (p ? [p.pid] : []));
  }

  pause(): void {
    pauseCluster(this.info);
  }

  resume(): void {
    resumeCluster(this.info);
  }

  /**
   * Stops the API server (SIGTERM): connections are refused until startApiServer(). The other fault, next to
   * pause(), for "the cluster is down" rather than "the cluster hangs". Only the process that started the bed can
   * do this; `info.apiServerPid` changes, so workers holding an older copy of `info` can no longer pause it.
   */
  async stopApiServer(): Promise<void> {
    this.#apiServerDown = true;
    await this.#apiServer.process.stop();
  }

  /** Starts the API server again on the same port with the same data (etcd kept it), and waits until ready. */
  async startApiServer(): Promise<void> {
    if (!this.#apiServerDown) return;
    this.#apiServer = await startApiServer(this.#apiServerConfig, this.#apiServer.port);
    this.#apiServerDown = false;
    this.info.apiServerPid = this.#apiServer.process.pid;
  }

  async stop(): Promise<void> {
    await stopWorkloadComponents(this.#workloads);
    await this.#apiServer.process.stop();
  }
}
