import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { type ApiEndpoint, apiRequest, eventually, freePort, trackProcess, untrackProcess } from "@flotilla/testbed";
import { parseAllDocuments } from "yaml";
import { type ArgoCdBinary, requireArgoCd } from "./binary.ts";
import { applyObjects, deletePath, getObject, listItems } from "./kube.ts";
import { type ArgoCdCluster, argoCdSettings, clusterSecret, type KubeObject } from "./manifests.ts";
import { type ProcessUsage, processUsage } from "./proc.ts";
import { flushRedisDb, type RedisTarget } from "./redis-db.ts";
import { type ArgoCdTuning, tuningArguments } from "./tuning.ts";

/** The management cluster: where Argo CD's CRDs, settings and Applications live. */
export interface ManagementCluster extends ApiEndpoint {
  kubeconfigPath: string;
}

export interface StartArgoCdOptions {
  management: ManagementCluster;
  /** Destination clusters, registered as cluster Secrets. */
  clusters: readonly ArgoCdCluster[];
  /** A database of its own on the bed's Redis; emptied on start and on stop. */
  redis: RedisTarget;
  /** @defaultValue a fresh `argocd-<random>`, so a namespace still terminating from a former run never blocks this one */
  namespace?: string;
  /** @defaultValue Argo CD's defaults */
  tuning?: ArgoCdTuning;
  /** Extra argocd-cm data. */
  config?: Record<string, string>;
  /** Where the three processes write their logs. @defaultValue a temporary folder, removed by stop() */
  logDir?: string;
  /** @defaultValue requireArgoCd() */
  binary?: ArgoCdBinary;
  /** @defaultValue 120 s */
  startTimeoutMs?: number;
  /** The repo-server's --loglevel; `debug` shows every command it executes and in which folder. @defaultValue info */
  logLevel?: "debug" | "info" | "warn" | "error";
}

/** The component names the multi-call binary answers to (ARGOCD_BINARY_NAME). */
export type ArgoCdComponent =
  | "argocd-repo-server"
  | "argocd-application-controller"
  | "argocd-applicationset-controller";

export interface RunningArgoCd {
  namespace: string;
  version: string;
  /** The applicationset-controller's webhook listener (Git push events). */
  appSetWebhookUrl: string;
  logDir: string;
  pids(): Record<ArgoCdComponent, number>;
  /** CPU and peak RSS of each of the three processes so far. */
  usage(): Record<ArgoCdComponent, ProcessUsage | undefined>;
  /** The Application objects in Argo CD's namespace (what the applicationset-controller generated). */
  applications(): Promise<ArgoApplication[]>;
  /** Server-side applies objects (ApplicationSets, Applications) into Argo CD's namespace. */
  apply(objects: readonly KubeObject[]): Promise<void>;
  /**
   * Asks the application-controller to compare every listed Application with Git now, as argocd-server's webhook
   * handler does on a push (annotation argocd.argoproj.io/refresh=normal).
   */
  refresh(names: readonly string[]): Promise<void>;
  /** A component's log so far. */
  log(component: ArgoCdComponent): string;
  /** Stops the processes and removes what start created: the namespace, the CRDs, the Redis keys, the logs. */
  stop(): Promise<void>;
}

/** The parts of an Application the tests and the benchmark read. */
export interface ArgoApplication {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    project: string;
    destination: { server?: string; name?: string; namespace?: string };
    source?: { repoURL: string; path?: string; targetRevision?: string };
    sources?: Array<{ repoURL: string; path?: string; targetRevision?: string }>;
    syncPolicy?: unknown;
  };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    reconciledAt?: string;
    operationState?: { phase?: string; finishedAt?: string; syncResult?: { revision?: string } };
  };
}

const crdGroupPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

function loadCrds(files: readonly string[]): KubeObject[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, "utf8"))
      .map((doc) => doc.toJSON() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null),
  );
}

async function waitForCrds(endpoint: ApiEndpoint, crds: readonly KubeObject[], timeoutMs: number): Promise<void> {
  for (const crd of crds) {
    await eventually(
      `CRD ${crd.metadata.name} Established`,
      async () => {
        const live = await getObject<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
          endpoint,
          `${crdGroupPath}/${crd.metadata.name}`,
        );
        return live?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")
          ? true
          : undefined;
      },
      timeoutMs,
    );
  }
}

/** A CRD deleted by a former stop() may still be terminating: applying it now would fail. */
async function waitUntilNotTerminating(endpoint: ApiEndpoint, name: string, timeoutMs: number): Promise<void> {
  await eventually(
    `CRD ${name} to finish terminating`,
    async () => {
      const live = await getObject<{ metadata: { deletionTimestamp?: string } }>(endpoint, `${crdGroupPath}/${name}`);
      return live?.metadata.deletionTimestamp === undefined ? true : undefined;
    },
    timeoutMs,
  );
}

async function probe(url: string): Promise<true | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return res.ok ? true : undefined;
}

/**
 * Runs Argo CD's repo-server, application-controller and applicationset-controller as local processes against
 * `management` (out of cluster: --kubeconfig, --namespace, --redis, --repo-server, ports on loopback), after
 * applying its CRDs, namespace, ConfigMaps, Secret, `default` AppProject and one cluster Secret per destination.
 */
export async function startArgoCd(options: StartArgoCdOptions): Promise<RunningArgoCd> {
  const binary = options.binary ?? requireArgoCd();
  const namespace = options.namespace ?? `argocd-${randomBytes(3).toString("hex")}`;
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const ownLogDir = options.logDir === undefined;
  const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), "flotilla-argocd-"));
  const tmp = join(logDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  const { management } = options;
  const children = new Map<ArgoCdComponent, ChildProcess>();
  const logs = new Map<ArgoCdComponent, string>();
  const crds = loadCrds(binary.crdFiles);
  let repoPort = 0;
  let repoMetrics = 0;
  let controllerMetrics = 0;
  let appSetMetrics = 0;
  let appSetProbe = 0;
  let appSetWebhook = 0;

  const stop = async (): Promise<void> => {
    await Promise.all([...children.values()].map(stopChild));
    await dropFinalizers(management, namespace).catch(() => undefined);
    await deletePath(management, `/api/v1/namespaces/${namespace}`).catch(() => undefined);
    for (const crd of crds) {
      await deletePath(management, `${crdGroupPath}/${crd.metadata.name}`).catch(() => undefined);
    }
    await flushRedisDb(options.redis).catch(() => undefined);
    if (ownLogDir) rmSync(logDir, { recursive: true, force: true });
    else rmSync(tmp, { recursive: true, force: true });
  };

  try {
    for (const crd of crds) await waitUntilNotTerminating(management, crd.metadata.name, timeoutMs);
    await applyObjects(management, crds);
    await waitForCrds(management, crds, timeoutMs);
    await applyObjects(management, [
      ...argoCdSettings({ namespace, config: options.config, serverSecretKey: randomBytes(24).toString("base64") }),
      ...options.clusters.map((c) => clusterSecret(namespace, c)),
    ]);
    await flushRedisDb(options.redis);

    const tuning = tuningArguments(options.tuning ?? {});
    const redisArgs = [`--redis=${options.redis.host}:${options.redis.port}`, `--redisdb=${options.redis.db}`];
    const kubeArgs = [`--kubeconfig=${management.kubeconfigPath}`, `--namespace=${namespace}`];
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    [repoPort, repoMetrics, controllerMetrics, appSetMetrics, appSetProbe, appSetWebhook] = ports as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const env = {
      PATH: [binary.scriptDir, process.env["PATH"] ?? ""].join(delimiter),
      HOME: tmp,
      TMPDIR: tmp,
      // No GnuPG keyring to initialise: the fleet's commits are not signed.
      ARGOCD_GPG_ENABLED: "false",
      // The applicationset-controller's manager (controller-runtime) reads KUBECONFIG, not --kubeconfig.
      KUBECONFIG: management.kubeconfigPath,
      ...tuning.env,
    };
    const run = (component: ArgoCdComponent, args: string[]) => {
      const file = join(logDir, `${component}.log`);
      const out = createWriteStream(file);
      const child = spawn(binary.binary, args, {
        env: { ...env, ARGOCD_BINARY_NAME: component },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      const keep = (chunk: Buffer) => {
        out.write(chunk);
        // Only the tail matters for a failure message; a long benchmark writes a lot.
        text = (text + chunk.toString()).slice(-200_000);
        logs.set(component, text);
      };
      child.stdout?.on("data", keep);
      child.stderr?.on("data", keep);
      // Recorded as the bed's processes are, so a run ended by a signal kills them too.
      if (child.pid !== undefined) trackProcess(child.pid, tmp);
      child.on("exit", () => {
        out.end();
        if (child.pid !== undefined) untrackProcess(child.pid);
      });
      children.set(component, child);
    };
    const loop = "127.0.0.1";
    run("argocd-repo-server", [
      `--address=${loop}`,
      `--port=${repoPort}`,
      `--metrics-address=${loop}`,
      `--metrics-port=${repoMetrics}`,
      "--disable-tls",
      // Its default names the in-cluster mTLS mount, which contradicts --disable-tls.
      "--client-ca-path=",
      "--logformat=json",
      `--loglevel=${options.logLevel ?? "info"}`,
      ...redisArgs,
    ]);
    const repoServer = `${loop}:${repoPort}`;
    run("argocd-application-controller", [
      ...kubeArgs,
      ...redisArgs,
      `--repo-server=${repoServer}`,
      "--repo-server-plaintext",
      `--metrics-port=${controllerMetrics}`,
      "--logformat=json",
      ...tuning.controllerArgs,
    ]);
    run("argocd-applicationset-controller", [
      ...kubeArgs,
      `--argocd-repo-server=${repoServer}`,
      "--repo-server-plaintext",
      `--metrics-addr=${loop}:${appSetMetrics}`,
      `--probe-addr=${loop}:${appSetProbe}`,
      `--webhook-addr=${loop}:${appSetWebhook}`,
      "--enable-leader-election=false",
      "--logformat=json",
      ...(options.tuning?.appSetReconciliations === undefined
        ? []
        : [`--concurrent-reconciliations=${options.tuning.appSetReconciliations}`]),
    ]);

    const alive = () => {
      for (const [component, child] of children) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${component} exited (${child.exitCode ?? child.signalCode}): ${tail(logs.get(component))}`);
        }
      }
    };
    const ready = async (what: string, url: string) => {
      await eventually(
        what,
        async () => {
          alive();
          return probe(url);
        },
        timeoutMs,
      ).catch((error: unknown) => {
        alive();
        throw error;
      });
    };
    await ready("argocd-repo-server metrics", `http://${loop}:${repoMetrics}/metrics`);
    await ready("argocd-application-controller healthz", `http://${loop}:${controllerMetrics}/healthz`);
    // Its probe listener registers no checks (404); the metrics server answers once the manager runs.
    await ready("argocd-applicationset-controller metrics", `http://${loop}:${appSetMetrics}/metrics`);
  } catch (error) {
    await stop();
    throw error;
  }

  const appsPath = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications`;
  return {
    namespace,
    version: binary.version,
    appSetWebhookUrl: `http://127.0.0.1:${appSetWebhook}/api/webhook`,
    logDir,
    pids: () =>
      Object.fromEntries([...children].map(([c, child]) => [c, child.pid ?? 0])) as Record<ArgoCdComponent, number>,
    usage: () =>
      Object.fromEntries([...children].map(([c, child]) => [c, processUsage(child.pid ?? 0)])) as Record<
        ArgoCdComponent,
        ProcessUsage | undefined
      >,
    applications: () => listItems<ArgoApplication>(management, appsPath),
    apply: (objects) =>
      applyObjects(
        management,
        objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })),
      ),
    refresh: async (names) => {
      const body = { metadata: { annotations: { "argocd.argoproj.io/refresh": "normal" } } };
      await Promise.all(names.map((name) => patchMerge(management, `${appsPath}/${encodeURIComponent(name)}`, body)));
    },
    log: (component) => logs.get(component) ?? "",
    stop,
  };
}

const argoKinds = ["applications", "applicationsets", "appprojects"];

/**
 * With the controllers gone nobody would ever clear a finalizer (Argo CD's resources-, pre- and post-delete
 * finalizers on Applications and ApplicationSets), and one such object keeps its CRD terminating for good, which
 * blocks the next start. The workloads on the destinations are the caller's to clean up.
 */
async function dropFinalizers(management: ApiEndpoint, namespace: string): Promise<void> {
  for (const kind of argoKinds) {
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/${kind}`;
    const items = await listItems<{ metadata: { name: string; finalizers?: string[] } }>(management, path);
    await Promise.all(
      items
        .filter((item) => (item.metadata.finalizers ?? []).length > 0)
        .map((item) =>
          patchMerge(management, `${path}/${encodeURIComponent(item.metadata.name)}`, {
            metadata: { finalizers: null },
          }),
        ),
    );
  }
}

async function patchMerge(endpoint: ApiEndpoint, path: string, body: unknown): Promise<void> {
  const res = await apiRequest(endpoint, path, {
    method: "PATCH",
    body,
    contentType: "application/merge-patch+json",
    timeoutMs: 30_000,
  });
  if (res.status >= 300) throw new Error(`PATCH ${path} failed: HTTP ${res.status} ${res.body}`);
}

function tail(text: string | undefined): string {
  return (text ?? "").split("\n").slice(-15).join("\n");
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
