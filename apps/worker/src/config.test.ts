import { describe, expect, it } from "vitest";
import { ConfigError, loadWorkerConfig } from "./config.ts";

const files: Record<string, string> = {
  "/etc/kubeconfig": "apiVersion: v1",
  "/var/run/secrets/kubernetes.io/serviceaccount/token": "eyJ...",
  "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt": "-----BEGIN CERTIFICATE-----",
  "/etc/flotilla/redis-password": "agent-pa55word\n",
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  return text;
};

function problemsOf(env: Readonly<Record<string, string | undefined>>): readonly string[] {
  try {
    loadWorkerConfig(env, readFile);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadWorkerConfig", () => {
  it("agent mode: cluster, kubeconfig and labels", () => {
    const config = loadWorkerConfig(
      {
        FLOTILLA_MODE: "agent",
        FLOTILLA_CLUSTER: "prod-eu",
        FLOTILLA_KUBECONFIG: "/etc/kubeconfig",
        FLOTILLA_LABELS: "env=prod, region=eu",
      },
      readFile,
    );
    expect(config).toMatchObject({
      mode: "agent",
      redis: { url: "redis://127.0.0.1:6379", prefix: "flotilla:" },
      concurrency: 4,
      drainTimeoutMs: 25_000,
      agent: { cluster: "prod-eu", kubeconfigPath: "/etc/kubeconfig", labels: { env: "prod", region: "eu" } },
    });
    expect(config.pool).toBeUndefined();
  });

  it("an agent in a pod without a kubeconfig uses the pod's service account", () => {
    const pod = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const agent = { FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "c", ...pod };
    expect(loadWorkerConfig(agent, readFile).agent).toEqual({
      cluster: "c",
      labels: {},
      inCluster: { host: "10.96.0.1", port: "443", serviceAccountDir: "/var/run/secrets/kubernetes.io/serviceaccount" },
    });
    expect(problemsOf({ ...agent, FLOTILLA_SERVICE_ACCOUNT_DIR: "/elsewhere" })).toEqual([
      "service account token: cannot read /elsewhere/token (ENOENT)",
      "service account CA certificate: cannot read /elsewhere/ca.crt (ENOENT)",
    ]);
    expect(problemsOf({ FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "c" })).toEqual([
      "FLOTILLA_KUBECONFIG: required in agent mode outside a pod (KUBERNETES_SERVICE_HOST/PORT are not set, so there is no service account to use)",
    ]);
  });

  it("an agent renders nothing of its own unless told to; a pool worker does unless told not to", () => {
    const agent = { FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "c", FLOTILLA_KUBECONFIG: "/etc/kubeconfig" };
    expect(loadWorkerConfig(agent, readFile).localRender).toBe(false);
    expect(loadWorkerConfig({ ...agent, FLOTILLA_LOCAL_RENDER: "true" }, readFile).localRender).toBe(true);
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool" }, readFile).localRender).toBe(true);
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool", FLOTILLA_LOCAL_RENDER: "false" }, readFile).localRender).toBe(
      false,
    );
    expect(problemsOf({ FLOTILLA_MODE: "pool", FLOTILLA_LOCAL_RENDER: "yes" })).toEqual([
      'FLOTILLA_LOCAL_RENDER: "yes" is not true or false',
    ]);
  });

  it("pool mode: defaults and overrides", () => {
    const config = loadWorkerConfig(
      {
        FLOTILLA_MODE: "pool",
        FLOTILLA_REDIS_URL: "redis://redis:6379",
        FLOTILLA_REDIS_PREFIX: "x:",
        FLOTILLA_CONCURRENCY: "8",
        FLOTILLA_DRAIN_TIMEOUT: "10s",
        FLOTILLA_RESYNC_INTERVAL: "0",
        FLOTILLA_LOCK_DURATION: "5s",
        FLOTILLA_WORKER_ID: "w1",
      },
      readFile,
    );
    expect(config).toMatchObject({
      mode: "pool",
      redis: { url: "redis://redis:6379", prefix: "x:" },
      concurrency: 8,
      drainTimeoutMs: 10_000,
      resyncIntervalMs: 0,
      lockDurationMs: 5_000,
      stalledIntervalMs: 30_000,
      pool: { workerId: "w1", leaseTtlMs: 15_000 },
    });
  });

  it.each<{ env: Record<string, string | undefined>; problem: RegExp }>([
    { env: {}, problem: /FLOTILLA_MODE: required/ },
    { env: { FLOTILLA_MODE: "both" }, problem: /FLOTILLA_MODE: "both" is not/ },
    { env: { FLOTILLA_MODE: "agent" }, problem: /FLOTILLA_CLUSTER: required in agent mode/ },
    {
      env: { FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "a", FLOTILLA_KUBECONFIG: "/nope" },
      problem: /cannot read \/nope \(ENOENT\)/,
    },
    {
      env: { FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "Bad_Name" },
      problem: /"Bad_Name" is not a cluster name: expected lower-case letters/,
    },
    { env: { FLOTILLA_MODE: "agent", FLOTILLA_LABELS: "env" }, problem: /"env" is not a label k=v/ },
    { env: { FLOTILLA_MODE: "pool", FLOTILLA_CLUSTER: "a" }, problem: /only meaningful in agent mode/ },
    {
      env: { FLOTILLA_MODE: "pool", FLOTILLA_CONCURRENCY: "0" },
      problem: /FLOTILLA_CONCURRENCY: "0" is not a positive integer/,
    },
    {
      env: { FLOTILLA_MODE: "pool", FLOTILLA_DRAIN_TIMEOUT: "soon" },
      problem: /FLOTILLA_DRAIN_TIMEOUT: "soon" is not a duration/,
    },
    { env: { FLOTILLA_MODE: "pool", FLOTILLA_REDIS_URL: "localhost:6379" }, problem: /not a redis:\/\// },
  ])("$problem", ({ env, problem }) => {
    expect(problemsOf(env).some((p) => problem.test(p))).toBe(true);
  });

  it("accepts a Redis Sentinel URL", () => {
    const config = loadWorkerConfig({
      FLOTILLA_MODE: "pool",
      FLOTILLA_REDIS_URL: "redis+sentinel://:pw@sentinel-0:26379,sentinel-1:26379/mymaster",
    });
    expect(config.redis.url).toBe("redis+sentinel://:pw@sentinel-0:26379,sentinel-1:26379/mymaster");
    expect(problemsOf({ FLOTILLA_MODE: "pool", FLOTILLA_REDIS_URL: "redis+sentinel://s:26379" })).toEqual([
      expect.stringMatching(/^FLOTILLA_REDIS_URL: .*no master name/),
    ]);
  });

  it("reads the Redis password from a file, and never echoes a password given in the URL", () => {
    const config = loadWorkerConfig(
      {
        FLOTILLA_MODE: "pool",
        FLOTILLA_REDIS_URL: "redis://flotilla-agent.edge@redis:6379",
        FLOTILLA_REDIS_PASSWORD_FILE: "/etc/flotilla/redis-password",
      },
      readFile,
    );
    expect(config.redis.password).toBe("agent-pa55word");
    const bad = problemsOf({ FLOTILLA_MODE: "pool", FLOTILLA_REDIS_URL: "http://agent:hunter22@redis:6379" });
    expect(bad.join("\n")).toContain("not a redis://");
    expect(bad.join("\n")).not.toContain("hunter22");
    const twice = problemsOf({
      FLOTILLA_MODE: "pool",
      FLOTILLA_REDIS_URL: "redis://agent:hunter22@redis:6379",
      FLOTILLA_REDIS_PASSWORD_FILE: "/etc/flotilla/redis-password",
    });
    expect(twice.join("\n")).toMatch(/carries a password too/);
    expect(twice.join("\n")).not.toContain("hunter22");
  });

  it("reports every problem at once", () => {
    expect(problemsOf({ FLOTILLA_MODE: "agent", FLOTILLA_CONCURRENCY: "x" })).toHaveLength(3);
    expect(problemsOf({ FLOTILLA_MODE: "agent", FLOTILLA_CLUSTER: "c" })).toHaveLength(1);
  });
});

describe("durations", () => {
  it("mean what the generator's mean: a bare number is refused, not read as milliseconds", () => {
    expect(problemsOf({ FLOTILLA_MODE: "pool", FLOTILLA_RESYNC_INTERVAL: "180" })).toEqual([
      'FLOTILLA_RESYNC_INTERVAL: "180" has no unit; write 180s for seconds or 180ms for milliseconds',
    ]);
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool", FLOTILLA_RESYNC_INTERVAL: "180s" }).resyncIntervalMs).toBe(
      180_000,
    );
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool", FLOTILLA_LEASE_TTL: "1m30s" }).pool?.leaseTtlMs).toBe(90_000);
  });
});

describe("Redis and probes", () => {
  it("checks the eviction policy unless FLOTILLA_REDIS_SKIP_POLICY_CHECK=true; serves probes only when a port is set", () => {
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool" })).toMatchObject({ redis: { skipPolicyCheck: false } });
    expect(loadWorkerConfig({ FLOTILLA_MODE: "pool" }).healthPort).toBeUndefined();
    expect(
      loadWorkerConfig({
        FLOTILLA_MODE: "pool",
        FLOTILLA_REDIS_SKIP_POLICY_CHECK: "true",
        FLOTILLA_HEALTH_PORT: "8081",
      }),
    ).toMatchObject({ redis: { skipPolicyCheck: true }, healthPort: 8081 });
    expect(problemsOf({ FLOTILLA_MODE: "pool", FLOTILLA_HEALTH_PORT: "http" })).toEqual([
      'FLOTILLA_HEALTH_PORT: "http" is not a port number (0-65535)',
    ]);
  });
});
