import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { clusterNameProblem, parseDuration } from "@flotilla/core";
import { isRedisUrlError, parseRedisUrl, SKIP_POLICY_CHECK_ENV } from "@flotilla/store";
import { z } from "zod";
import { type InClusterEndpoint, SERVICE_ACCOUNT_DIR } from "./modes/in-cluster.ts";

export type WorkerMode = "agent" | "pool";

/**
 * The worker's configuration, from FLOTILLA_* variables. Every duration is written with a unit (`30s`, `3m`; see
 * `parseDuration` in @flotilla/core) and held here in milliseconds.
 */
export interface WorkerConfig {
  mode: WorkerMode;
  redis: {
    /**
     * FLOTILLA_REDIS_URL; may carry `user:password@` (an agent's own Redis user). Never logged as given: see
     * `redactRedisUrl` in @flotilla/store. @defaultValue "redis://127.0.0.1:6379"
     */
    url: string;
    /** FLOTILLA_REDIS_PASSWORD_FILE: a file holding the Redis password, instead of writing it into the URL. */
    password?: string;
    /** FLOTILLA_REDIS_PREFIX; the generator's and the store's. @defaultValue "flotilla:" */
    prefix: string;
    /**
     * FLOTILLA_REDIS_SKIP_POLICY_CHECK: for a managed Redis that refuses CONFIG, the operator vouches for
     * `maxmemory-policy noeviction`. @defaultValue false
     */
    skipPolicyCheck: boolean;
  };
  /**
   * FLOTILLA_HEALTH_PORT: serves `/healthz` (the process is alive) and `/readyz` (Redis reachable and the mode
   * started) on this port; 0 picks a free one. @defaultValue no probe server
   */
  healthPort?: number;
  /** FLOTILLA_CONCURRENCY: syncs talking to one cluster at once (its lanes, see `jobSlots`). @defaultValue 4 */
  concurrency: number;
  /** FLOTILLA_DRAIN_TIMEOUT: how long SIGTERM waits for active syncs. @defaultValue 25s */
  drainTimeoutMs: number;
  /**
   * FLOTILLA_HEALTH_WAIT: how long the worker keeps re-reading a Progressing Application itself after its sync
   * (the watches settle it sooner; the periodic re-sync after). A sync never waits on health. @defaultValue 30s
   */
  healthWaitMs: number;
  /** FLOTILLA_GIT_MIN_FETCH_INTERVAL: a source repository is fetched at most this often. @defaultValue 15s */
  gitMinFetchIntervalMs: number;
  /** FLOTILLA_RESYNC_INTERVAL: every served Application is re-synced this often; 0 turns it off. @defaultValue 3m */
  resyncIntervalMs: number;
  /**
   * FLOTILLA_LOCK_DURATION: a job whose worker stops renewing its lock (killed mid-sync) is recovered by another
   * worker after this. @defaultValue 30s
   */
  lockDurationMs: number;
  /** FLOTILLA_STALLED_INTERVAL: how often workers look for such jobs. @defaultValue 30s */
  stalledIntervalMs: number;
  /**
   * FLOTILLA_LOCAL_RENDER: whether the worker may read Git and render for itself when a job names no published
   * bundle, or the one it names is gone. An agent defaults to false, so that it needs no Git access and holds no
   * Git credentials. @defaultValue true in pool mode, false in agent mode
   */
  localRender: boolean;
  /**
   * FLOTILLA_ALLOW_LOCAL_REPOS: whether a local render may read local paths and file:// URLs; off, only remote
   * repositories. @defaultValue false
   */
  allowLocalRepos: boolean;
  /**
   * FLOTILLA_GIT_CREDENTIALS: the Git credentials file a local render uses (see `loadCredentialsRules` in
   * @flotilla/git). @defaultValue anonymous access
   */
  gitCredentialsFile?: string;
  /** FLOTILLA_REPO_CACHE. @defaultValue the git package's (under the OS temp directory) */
  repoCacheDir?: string;
  /** FLOTILLA_LOG_LEVEL. @defaultValue "info" */
  logLevel: string;
  /** Agent mode only. */
  agent?: {
    /** FLOTILLA_CLUSTER: the name this agent's cluster is registered under. */
    cluster: string;
    /** FLOTILLA_KUBECONFIG: a kubeconfig file for the agent's own cluster. Unset in a pod: `inCluster` is used. */
    kubeconfigPath?: string;
    /**
     * The pod's own service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token; the mount may be moved
     * with FLOTILLA_SERVICE_ACCOUNT_DIR), when no kubeconfig is given.
     */
    inCluster?: InClusterEndpoint;
    /** FLOTILLA_LABELS: `k=v,k2=v2`, the cluster's labels in the registry. @defaultValue none */
    labels: Record<string, string>;
  };
  /** Pool mode only. */
  pool?: {
    /** FLOTILLA_WORKER_ID: names this worker among the pool's. @defaultValue `<hostname>-<pid>` */
    workerId: string;
    /** FLOTILLA_LEASE_TTL: a dead worker's clusters are taken over after this. @defaultValue 15s */
    leaseTtlMs: number;
  };
}

/** The configuration is unusable; the message lists every problem, one per line, naming the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid worker configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

const labelKey = z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the configuration; throws ConfigError naming every bad or missing variable at once. */
export function loadWorkerConfig(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): WorkerConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const duration = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const result = parseDuration(text);
    if (!result.ok) problems.push(`${name}: ${result.problem}`);
    return result.ok ? result.ms : fallback;
  };
  const positiveInt = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) problems.push(`${name}: "${text}" is not a positive integer`);
    return Number.isInteger(n) && n >= 1 ? n : fallback;
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const text = value(name);
    if (text === undefined) return fallback;
    if (text !== "true" && text !== "false") problems.push(`${name}: "${text}" is not true or false`);
    return text === "true" ? true : text === "false" ? false : fallback;
  };

  const modeText = value("FLOTILLA_MODE");
  let mode: WorkerMode = "pool";
  if (modeText === undefined) problems.push('FLOTILLA_MODE: required, "agent" or "pool"');
  else if (modeText !== "agent" && modeText !== "pool")
    problems.push(`FLOTILLA_MODE: "${modeText}" is not "agent" or "pool"`);
  else mode = modeText;

  const config: WorkerConfig = {
    mode,
    redis: {
      url: value("FLOTILLA_REDIS_URL") ?? "redis://127.0.0.1:6379",
      prefix: env.FLOTILLA_REDIS_PREFIX ?? "flotilla:",
      skipPolicyCheck: boolean(SKIP_POLICY_CHECK_ENV, false),
    },
    concurrency: positiveInt("FLOTILLA_CONCURRENCY", 4),
    drainTimeoutMs: duration("FLOTILLA_DRAIN_TIMEOUT", 25_000),
    healthWaitMs: duration("FLOTILLA_HEALTH_WAIT", 30_000),
    gitMinFetchIntervalMs: duration("FLOTILLA_GIT_MIN_FETCH_INTERVAL", 15_000),
    resyncIntervalMs: duration("FLOTILLA_RESYNC_INTERVAL", 180_000),
    lockDurationMs: duration("FLOTILLA_LOCK_DURATION", 30_000),
    stalledIntervalMs: duration("FLOTILLA_STALLED_INTERVAL", 30_000),
    logLevel: value("FLOTILLA_LOG_LEVEL") ?? "info",
    localRender: boolean("FLOTILLA_LOCAL_RENDER", mode === "pool"),
    allowLocalRepos: boolean("FLOTILLA_ALLOW_LOCAL_REPOS", false),
  };
  const healthPort = value("FLOTILLA_HEALTH_PORT");
  if (healthPort !== undefined) {
    const port = Number(healthPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      problems.push(`FLOTILLA_HEALTH_PORT: "${healthPort}" is not a port number (0-65535)`);
    else config.healthPort = port;
  }
  const gitCredentialsFile = value("FLOTILLA_GIT_CREDENTIALS");
  if (gitCredentialsFile !== undefined) config.gitCredentialsFile = gitCredentialsFile;
  const repoCacheDir = value("FLOTILLA_REPO_CACHE");
  if (repoCacheDir !== undefined) config.repoCacheDir = repoCacheDir;
  try {
    parseRedisUrl(config.redis.url);
  } catch (err) {
    if (!isRedisUrlError(err)) throw err;
    problems.push(`FLOTILLA_REDIS_URL: ${err.message}`);
  }
  const passwordFile = value("FLOTILLA_REDIS_PASSWORD_FILE");
  if (passwordFile !== undefined) {
    try {
      config.redis.password = readFile(passwordFile).trim();
    } catch (err) {
      problems.push(
        `FLOTILLA_REDIS_PASSWORD_FILE: cannot read ${passwordFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    if (/^(rediss?|redis\+sentinel):\/\/[^/@]*:[^/@]*@/.test(config.redis.url)) {
      problems.push("FLOTILLA_REDIS_PASSWORD_FILE: FLOTILLA_REDIS_URL carries a password too; give it in one place");
    }
  }

  if (mode === "agent") {
    const cluster = value("FLOTILLA_CLUSTER");
    const kubeconfigPath = value("FLOTILLA_KUBECONFIG");
    if (cluster === undefined) problems.push("FLOTILLA_CLUSTER: required in agent mode (this cluster's name)");
    else {
      const problem = clusterNameProblem(cluster);
      if (problem !== undefined) problems.push(`FLOTILLA_CLUSTER: "${cluster}" is not a cluster name: ${problem}`);
    }
    const readable = (name: string, path: string): void => {
      try {
        readFile(path);
      } catch (err) {
        problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      }
    };
    const labels = parseLabels(value("FLOTILLA_LABELS"), problems);
    config.agent = { cluster: cluster ?? "", labels };
    const host = value("KUBERNETES_SERVICE_HOST");
    const port = value("KUBERNETES_SERVICE_PORT");
    if (kubeconfigPath !== undefined) {
      readable("FLOTILLA_KUBECONFIG", kubeconfigPath);
      config.agent.kubeconfigPath = kubeconfigPath;
    } else if (host === undefined || port === undefined) {
      problems.push(
        "FLOTILLA_KUBECONFIG: required in agent mode outside a pod (KUBERNETES_SERVICE_HOST/PORT are not set, so there is no service account to use)",
      );
    } else {
      const serviceAccountDir = value("FLOTILLA_SERVICE_ACCOUNT_DIR") ?? SERVICE_ACCOUNT_DIR;
      readable("service account token", join(serviceAccountDir, "token"));
      readable("service account CA certificate", join(serviceAccountDir, "ca.crt"));
      config.agent.inCluster = { host, port, serviceAccountDir };
    }
  } else {
    for (const name of ["FLOTILLA_CLUSTER", "FLOTILLA_KUBECONFIG", "FLOTILLA_LABELS"]) {
      if (value(name) !== undefined)
        problems.push(`${name}: only meaningful in agent mode; pool mode serves the registry's clusters`);
    }
    config.pool = {
      workerId: value("FLOTILLA_WORKER_ID") ?? `${hostname()}-${process.pid}`,
      leaseTtlMs: duration("FLOTILLA_LEASE_TTL", 15_000),
    };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parseLabels(text: string | undefined, problems: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === undefined) return labels;
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const val = eq < 0 ? "" : pair.slice(eq + 1);
    if (eq < 0 || !labelKey.safeParse(key).success || !labelValue.safeParse(val).success) {
      problems.push(`FLOTILLA_LABELS: "${pair}" is not a label k=v`);
      continue;
    }
    labels[key] = val;
  }
  return labels;
}
