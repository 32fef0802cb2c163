import { join } from "node:path";
import { type ApiEndpoint, apiRequest } from "./kube-http.ts";
import { freePort } from "./ports.ts";
import { ManagedProcess } from "./process.ts";
import { startRetryingTakenPorts, waitUntilReady } from "./wait.ts";

export interface ApiServerConfig {
  binary: string;
  clusterName: string;
  /** The cluster's own folder: certificates, token file and logs live here. */
  dir: string;
  runDir: string;
  etcdUrl: string;
  etcdPrefix: string;
  servingCertFile: string;
  servingKeyFile: string;
  serviceAccountPublicKeyFile: string;
  serviceAccountPrivateKeyFile: string;
  tokenFile: string;
  caPem: string;
  /** A system:masters token used to probe readiness. */
  probeToken: string;
  /** @defaultValue 180 000: ten API servers starting at once on two cores take a while. */
  readyTimeoutMs?: number;
}

export interface ApiServer {
  apiUrl: string;
  port: number;
  process: ManagedProcess;
}

function apiServerArgs(config: ApiServerConfig, port: number): string[] {
  return [
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    `--tls-cert-file=${config.servingCertFile}`,
    `--tls-private-key-file=${config.servingKeyFile}`,
    `--etcd-servers=${config.etcdUrl}`,
    `--etcd-prefix=${config.etcdPrefix}`,
    `--service-account-issuer=https://${config.clusterName}.testbed.flotilla.invalid`,
    `--service-account-key-file=${config.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${config.serviceAccountPrivateKeyFile}`,
    "--service-cluster-ip-range=10.96.0.0/16",
    `--token-auth-file=${config.tokenFile}`,
    "--authorization-mode=RBAC",
    "--allow-privileged=true",
    // Each bed's servers share one etcd and 127.0.0.1; the "kubernetes" Service endpoints would fight over it.
    "--endpoint-reconciler-type=none",
    // Flow control matters under real load only; off, a server starts faster and holds less memory.
    "--enable-priority-and-fairness=false",
    "--profiling=false",
  ];
}

async function isReady(endpoint: ApiEndpoint): Promise<boolean> {
  const res = await apiRequest(endpoint, "/readyz", { timeoutMs: 2_000 });
  return res.status === 200;
}

/**
 * Starts a kube-apiserver and waits for /readyz. Without `port` it picks a free one and retries on another if that
 * was taken meanwhile; with `port` (a restart, which must keep the cluster's URL) it tries only that one.
 */
export function startApiServer(config: ApiServerConfig, port?: number): Promise<ApiServer> {
  return startRetryingTakenPorts(port === undefined ? 3 : 1, async (attempt) => {
    const chosenPort = port ?? (await freePort());
    const apiUrl = `https://127.0.0.1:${chosenPort}`;
    const process = ManagedProcess.start({
      name: `kube-apiserver-${config.clusterName}`,
      command: config.binary,
      args: apiServerArgs(config, chosenPort),
      // Appending: a restarted server's log follows its predecessor's.
      logFile: join(config.dir, `kube-apiserver${attempt > 1 ? `.${attempt}` : ""}.log`),
      runDir: config.runDir,
    });
    const ready = async (): Promise<ApiServer> => {
      await waitUntilReady(
        process,
        () => isReady({ apiUrl, caPem: config.caPem, token: config.probeToken }),
        config.readyTimeoutMs ?? 180_000,
        200,
      );
      return { apiUrl, port: chosenPort, process };
    };
    return { process, ready };
  });
}
