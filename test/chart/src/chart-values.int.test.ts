import { loadApiConfig } from "@flotilla/api";
import { loadGeneratorConfig } from "@flotilla/generator";
import type { KubeObject } from "@flotilla/kube";
import { QUEUE_JOBS } from "@flotilla/metrics";
import { loadEncryptionKey, parseRedisUrl } from "@flotilla/store";
import { loadWorkerConfig } from "@flotilla/worker";
import { beforeAll, describe, expect, it } from "vitest";
import { HelmFailed, lint, template } from "./helm.ts";
import { find, inventoryOf, type PodSpecLike, workloadsOf } from "./manifests.ts";
import { materialize } from "./materialize.ts";
import { fileReader, podEnvironment } from "./pod-environment.ts";
import { type ValueSet, valueSet, valueSets } from "./value-sets.ts";

// helm runs here, so these are integration tests; they need no cluster (chart-apply.int.test.ts applies).

const namespace = "flotilla";

async function render(set: ValueSet, extra: string[] = []): Promise<KubeObject[]> {
  return template({ release: "fl", namespace, files: [set.file], set: extra });
}

function podOf(objects: readonly KubeObject[], kind: string, name: string): PodSpecLike {
  const found = workloadsOf(objects).find((w) => w.object.kind === kind && w.object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name}; rendered: ${inventoryOf(objects).join(", ")}`);
  return found.pod;
}

function environment(objects: readonly KubeObject[], set: ValueSet, workload: string, container: string) {
  const kind = workload.endsWith("-redis") ? "StatefulSet" : "Deployment";
  const claims = (find(objects, kind, workload) as unknown as { spec: { volumeClaimTemplates?: KubeObject[] } }).spec
    .volumeClaimTemplates;
  return podEnvironment({
    pod: podOf(objects, kind, workload),
    container,
    objects,
    existing: set.existing,
    claims: (claims ?? []).map((c) => c.metadata.name),
  });
}

/** The port a container's named port stands for. */
function portNumber(pod: PodSpecLike, container: string, port: string | number | undefined): number | undefined {
  if (typeof port === "number") return port;
  return pod.containers.find((c) => c.name === container)?.ports?.find((p) => p.name === port)?.containerPort;
}

function probePaths(pod: PodSpecLike, container: string) {
  const c = pod.containers.find((x) => x.name === container)!;
  return {
    liveness: {
      path: c.livenessProbe?.httpGet?.path,
      port: portNumber(pod, container, c.livenessProbe?.httpGet?.port),
    },
    readiness: {
      path: c.readinessProbe?.httpGet?.path,
      port: portNumber(pod, container, c.readinessProbe?.httpGet?.port),
    },
  };
}

describe("helm lint --strict", () => {
  it.each(valueSets.map((s) => [s.name, s]))("passes with the %s values", async (_name, set) => {
    const report = await lint({ files: [set.file] });
    expect(report).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(report).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe("bad values are refused by helm, naming the field", () => {
  const controlPlane = ["fleet.repoURL=https://git.example.com/fleet.git"];
  const agent = ["mode=agent", "agent.cluster=edge-1", "redis.external.url=redis://redis:6379"];
  it.each([
    [
      "an unknown top-level key",
      [...controlPlane, "replicas=3"],
      /at '': additional properties 'replicas' not allowed/,
    ],
    [
      "an unknown nested key",
      [...controlPlane, "workers.autoscaling.targetCPU=80"],
      /at '\/workers\/autoscaling': additional properties 'targetCPU' not allowed/,
    ],
    [
      "an unknown resource name",
      [...controlPlane, "api.resources.limits.gpu=1"],
      /at '\/api\/resources\/limits': additional properties 'gpu' not allowed/,
    ],
    [
      "a string for a number",
      [...controlPlane, "workers.replicas=many"],
      /at '\/workers\/replicas': got string, want integer/,
    ],
    [
      "a number for a boolean",
      [...controlPlane, "networkPolicy.enabled=1"],
      /at '\/networkPolicy\/enabled': got number, want boolean/,
    ],
    ["a bad mode", ["mode=pool"], /at '\/mode': value must be one of 'controlPlane', 'agent'/],
    ["a bad log level", [...controlPlane, "logLevel=verbose"], /at '\/logLevel': value must be one of/],
    [
      "a bad service type",
      [...controlPlane, "api.service.type=ExternalName"],
      /at '\/api\/service\/type': value must be one of/,
    ],
    [
      "a bad HPA metric type",
      [...controlPlane, "workers.autoscaling.metricType=Object"],
      /at '\/workers\/autoscaling\/metricType'/,
    ],
    ["a duration without a unit", [...controlPlane, "string:workers.drainTimeout=25"], /at '\/workers\/drainTimeout'/],
    ["a zero poll interval", [...controlPlane, "generator.pollInterval=0s"], /at '\/generator\/pollInterval'/],
    [
      "a Redis URL of another scheme",
      [...controlPlane, "redis.external.url=http://redis:6379"],
      /at '\/redis\/external\/url'/,
    ],
    ["a cluster name with capitals", ["mode=agent", "agent.cluster=Edge_1"], /at '\/agent\/cluster'/],
    ["a port out of range", [...controlPlane, "api.port=70000"], /at '\/api\/port': maximum: got 70,000, want 65,535/],
    [
      "RBAC verbs as a string",
      [...agent, "agent.rbac.rules[0].verbs=get"],
      /at '\/agent\/rbac\/rules\/0\/verbs': got string, want array/,
    ],
    [
      "a Git credentials kind",
      [...controlPlane, "git.rules[0].urlPrefix=https://g/,git.rules[0].kind=oauth"],
      /at '\/git\/rules\/0\/kind'/,
    ],
    ["no fleet repository", [], /fleet\.repoURL: required in mode controlPlane/],
    [
      "an agent without its cluster name",
      ["mode=agent", "redis.external.url=redis://r:6379"],
      /agent\.cluster: required in mode agent/,
    ],
    ["an agent without Redis", ["mode=agent", "agent.cluster=edge-1"], /redis\.external: required in mode agent/],
    [
      "an agent given a fleet repository",
      [...agent, "fleet.repoURL=https://git.example.com/fleet.git"],
      /fleet\.repoURL: only meaningful in mode controlPlane/,
    ],
    [
      "a control plane given an agent cluster",
      [...controlPlane, "agent.cluster=edge-1"],
      /agent\.cluster: only meaningful in mode agent/,
    ],
    [
      "both a Redis URL and a Secret",
      [...controlPlane, "redis.external.url=redis://r:6379", "redis.external.existingSecret=s"],
      /redis\.external: set url or existingSecret, not both/,
    ],
    [
      "an Ingress without hosts",
      [...controlPlane, "api.ingress.enabled=true"],
      /api\.ingress\.hosts: at least one host/,
    ],
  ])("%s", async (_what, set, message) => {
    const strings = set.filter((s) => s.startsWith("string:")).map((s) => s.slice("string:".length));
    const values = { set: set.filter((s) => !s.startsWith("string:")), setString: strings };
    const failure = await template({ release: "fl", namespace, ...values }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(HelmFailed);
    expect((failure as HelmFailed).output).toMatch(message);
  });
});

describe("what each value set renders", () => {
  const rendered = new Map<string, KubeObject[]>();
  beforeAll(async () => {
    for (const set of valueSets) rendered.set(set.name, await render(set));
  });
  const objectsOf = (name: string) => rendered.get(name)!;

  it("installs the control plane by default: generator x2, pool workers, API with a Service, bundled Redis", () => {
    const objects = objectsOf("default");
    expect(inventoryOf(objects)).toEqual([
      "ConfigMap/fl-flotilla-redis",
      "Deployment/fl-flotilla-api",
      "Deployment/fl-flotilla-generator",
      "Deployment/fl-flotilla-workers",
      "Secret/fl-flotilla-api-token",
      "Secret/fl-flotilla-encryption-key",
      "Secret/fl-flotilla-redis",
      "Secret/fl-flotilla-webhook",
      "Service/fl-flotilla-api",
      "Service/fl-flotilla-generator",
      "Service/fl-flotilla-redis",
      "ServiceAccount/fl-flotilla-api",
      "ServiceAccount/fl-flotilla-generator",
      "ServiceAccount/fl-flotilla-redis",
      "ServiceAccount/fl-flotilla-workers",
      "StatefulSet/fl-flotilla-redis",
    ]);
    expect(find(objects, "Deployment", "fl-flotilla-generator")).toMatchObject({ spec: { replicas: 2 } });
    for (const { pod } of workloadsOf(objects).filter((w) => !w.object.metadata.name.endsWith("-redis"))) {
      expect(pod.containers[0]).toMatchObject({ image: "localhost/flotilla:0.1.0" });
    }
    // The control plane never calls its own cluster's API: no token, no RBAC.
    expect(workloadsOf(objects).map((w) => w.pod.automountServiceAccountToken)).toEqual([false, false, false, false]);
    for (const secret of ["api-token", "encryption-key", "webhook", "redis"]) {
      expect(find(objects, "Secret", `fl-flotilla-${secret}`).metadata.annotations).toEqual({
        "helm.sh/resource-policy": "keep",
      });
    }
  });

  it("runs the bundled Redis with AOF persistence and noeviction, its password only in a Secret", () => {
    const objects = objectsOf("default");
    const conf = (find(objects, "ConfigMap", "fl-flotilla-redis") as unknown as { data: Record<string, string> }).data[
      "redis.conf"
    ]!;
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^include \/etc\/redis\/auth\/auth\.conf$/m);
    const redis = environment(objects, valueSet("default"), "fl-flotilla-redis", "redis");
    const password = redis.env["REDISCLI_AUTH"]!;
    expect(password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(redis.files.get("/etc/redis/auth/auth.conf")).toBe(`requirepass ${password}\n`);
    const statefulSet = find(objects, "StatefulSet", "fl-flotilla-redis") as unknown as {
      spec: { volumeClaimTemplates: Array<{ spec: { resources: { requests: { storage: string } } } }> };
    };
    expect(statefulSet.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage).toBe("8Gi");
    expect(JSON.stringify(podOf(objects, "StatefulSet", "fl-flotilla-redis").containers[0])).not.toContain(password);
  });

  it("configures the generator, workers and API as their own loaders read it", () => {
    const set = valueSet("default");
    const objects = objectsOf("default");
    const generatorEnv = environment(objects, set, "fl-flotilla-generator", "generator");
    const generator = loadGeneratorConfig(generatorEnv.env, fileReader(generatorEnv));
    expect(generator.fleet).toEqual({
      repoURL: "https://git.example.com/platform/fleet.git",
      revision: "HEAD",
      paths: ["**/*.yaml", "**/*.yml"],
    });
    expect(generator.webhook.secret).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(generator.redis.url).toMatch(/^redis:\/\/:[A-Za-z0-9]{40}@fl-flotilla-redis:6379$/);
    expect(generator.pollIntervalMs).toBe(180_000);
    expect(generator.repoCacheDir).toBe("/tmp/repos");

    const workerEnv = environment(objects, set, "fl-flotilla-workers", "worker");
    const worker = loadWorkerConfig(workerEnv.env, fileReader(workerEnv));
    expect(worker).toMatchObject({
      mode: "pool",
      healthPort: 9090,
      concurrency: 4,
      drainTimeoutMs: 25_000,
      pool: { workerId: "pod-0", leaseTtlMs: 15_000 },
      redis: { url: generator.redis.url, prefix: "flotilla:", skipPolicyCheck: false },
    });
    const key = loadEncryptionKey({ env: workerEnv.env, readFile: (p) => Buffer.from(fileReader(workerEnv)(p)) });
    expect(key?.length).toBe(32);

    const apiEnv = environment(objects, set, "fl-flotilla-api", "api");
    const api = loadApiConfig(materialize(apiEnv));
    expect(api.port).toBe(8080);
    expect(api.bootstrapToken).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(api.encryptionKey?.equals(key!)).toBe(true);
    expect(api.redis.url).toBe(generator.redis.url);
  });

  it("probes /healthz and /readyz on the ports the services listen on", () => {
    const objects = objectsOf("default");
    const cases: Array<[string, string, number]> = [
      ["fl-flotilla-generator", "generator", 8080],
      ["fl-flotilla-workers", "worker", 9090],
      ["fl-flotilla-api", "api", 8080],
    ];
    for (const [workload, container, port] of cases) {
      expect(probePaths(podOf(objects, "Deployment", workload), container)).toEqual({
        liveness: { path: "/healthz", port },
        readiness: { path: "/readyz", port },
      });
    }
    const agent = objectsOf("agent");
    const agentEnv = environment(agent, valueSet("agent"), "fl-flotilla-agent", "agent");
    const config = loadWorkerConfig(agentEnv.env, fileReader(agentEnv));
    expect(probePaths(podOf(agent, "Deployment", "fl-flotilla-agent"), "agent")).toEqual({
      liveness: { path: "/healthz", port: config.healthPort },
      readiness: { path: "/readyz", port: config.healthPort },
    });
  });

  it("runs every Pod of every value set at the restricted Pod Security level, /tmp on an emptyDir", () => {
    for (const set of valueSets) {
      for (const { object, pod } of workloadsOf(objectsOf(set.name))) {
        const where = `${set.name}: ${object.kind}/${object.metadata.name}`;
        const uid = object.metadata.name.endsWith("-redis") ? 999 : 10001;
        expect(pod.securityContext, where).toMatchObject({
          runAsNonRoot: true,
          runAsUser: uid,
          seccompProfile: { type: "RuntimeDefault" },
        });
        for (const container of pod.containers) {
          expect(container.securityContext, where).toEqual({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          });
          const tmp = container.volumeMounts?.find((m) => m.mountPath === "/tmp");
          expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, where).toBeDefined();
        }
      }
    }
  });

  it("takes an external Redis's URL and the existing Secrets it is given, rendering none of its own", () => {
    const set = valueSet("external-redis");
    const objects = objectsOf("external-redis");
    expect(inventoryOf(objects).filter((id) => id.includes("redis") || id.startsWith("Secret/"))).toEqual([
      "Secret/fl-flotilla-webhook",
    ]);
    const workerEnv = environment(objects, set, "fl-flotilla-workers", "worker");
    expect(loadWorkerConfig(workerEnv.env, fileReader(workerEnv)).redis).toEqual({
      url: "rediss://flotilla:managed-pass@redis.managed.example.com:6380",
      prefix: "flotilla:",
      skipPolicyCheck: true,
    });
    const api = loadApiConfig(materialize(environment(objects, set, "fl-flotilla-api", "api")));
    expect(api.bootstrapToken).toBe("an-api-token-of-enough-length");
    expect(api.encryptionKey?.toString("base64")).toBe(set.existing["flotilla-encryption-key"]?.["encryption-key"]);
  });

  it("points every service at Redis Sentinel, and hands the generator its Git credentials file", () => {
    const set = valueSet("sentinel");
    const objects = objectsOf("sentinel");
    expect(inventoryOf(objects).filter((id) => id.includes("-redis"))).toEqual(["Secret/fl-flotilla-redis-url"]);
    for (const [workload, container] of [
      ["fl-flotilla-generator", "generator"],
      ["fl-flotilla-workers", "worker"],
      ["fl-flotilla-api", "api"],
    ] as const) {
      const url = environment(objects, set, workload, container).env["FLOTILLA_REDIS_URL"]!;
      expect(parseRedisUrl(url)).toMatchObject({
        kind: "sentinel",
        masterName: "mymaster",
        password: "s3cret-pass",
        sentinels: [0, 1, 2].map((i) => ({ host: `redis-sentinel-${i}.redis`, port: 26379 })),
      });
    }
    const generatorEnv = environment(objects, set, "fl-flotilla-generator", "generator");
    const generator = loadGeneratorConfig(generatorEnv.env, fileReader(generatorEnv));
    expect(generator.fleet).toMatchObject({ revision: "main", paths: ["appsets/**/*.yaml"] });
    expect(generator.gitCredentialsFile).toBe("/etc/flotilla/git/credentials.yaml");
    expect(generatorEnv.files.get("/etc/flotilla/git/credentials.yaml")).toContain(
      "tokenFile: /var/run/secrets/flotilla/git/github-token",
    );
    expect(generatorEnv.files.get("/var/run/secrets/flotilla/git/github-token")).toBe("ghp_example");
  });

  it("installs only the agent in mode agent, acting as its ServiceAccount with the configured rules", () => {
    const set = valueSet("agent");
    const objects = objectsOf("agent");
    expect(inventoryOf(objects)).toEqual([
      "ClusterRole/fl-flotilla-agent-flotilla",
      "ClusterRoleBinding/fl-flotilla-agent-flotilla",
      "Deployment/fl-flotilla-agent",
      "ServiceAccount/fl-flotilla-agent",
    ]);
    const agentEnv = environment(objects, set, "fl-flotilla-agent", "agent");
    const config = loadWorkerConfig(agentEnv.env, fileReader(agentEnv));
    expect(config).toMatchObject({
      mode: "agent",
      localRender: false,
      redis: { url: "redis://flotilla-agent.edge-eu-1:agent-pass@redis:6379" },
      agent: { cluster: "edge-eu-1", labels: { env: "prod", region: "eu-west" }, inCluster: { port: "443" } },
    });
    expect(find(objects, "Deployment", "fl-flotilla-agent")).toMatchObject({
      spec: { replicas: 1, strategy: { type: "Recreate" } },
    });
    const binding = find(objects, "ClusterRoleBinding", "fl-flotilla-agent-flotilla");
    expect(binding).toMatchObject({
      roleRef: { kind: "ClusterRole", name: "fl-flotilla-agent-flotilla" },
      subjects: [{ kind: "ServiceAccount", name: "fl-flotilla-agent", namespace }],
    });
    const rules = (find(objects, "ClusterRole", "fl-flotilla-agent-flotilla") as unknown as { rules: unknown[] }).rules;
    expect(JSON.stringify(rules)).not.toContain('"*"');

    const admin = objectsOf("agent-cluster-admin");
    expect(inventoryOf(admin)).toEqual([
      "ClusterRoleBinding/fl-flotilla-agent-flotilla",
      "Deployment/fl-flotilla-agent",
      "Secret/fl-flotilla-redis-url",
      "ServiceAccount/fl-flotilla-agent",
    ]);
    expect(find(admin, "ClusterRoleBinding", "fl-flotilla-agent-flotilla")).toMatchObject({
      roleRef: { kind: "ClusterRole", name: "cluster-admin" },
    });
  });

  it("scales the pool workers on the workers' own queue-depth metric", () => {
    const objects = objectsOf("hpa");
    const hpa = find(objects, "HorizontalPodAutoscaler", "fl-flotilla-workers");
    expect(hpa).toMatchObject({
      spec: {
        scaleTargetRef: { kind: "Deployment", name: "fl-flotilla-workers" },
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [
          {
            type: "External",
            external: {
              metric: { name: QUEUE_JOBS.name, selector: { matchLabels: { state: "waiting" } } },
              target: { type: "AverageValue", averageValue: "10" },
            },
          },
        ],
      },
    });
    // The HPA owns the replica count; a rendered one would fight it at every upgrade.
    expect((find(objects, "Deployment", "fl-flotilla-workers") as unknown as { spec: object }).spec).not.toHaveProperty(
      "replicas",
    );
  });

  it("adds the Ingress, NetworkPolicies and PodDisruptionBudgets when asked", () => {
    const objects = objectsOf("exposed");
    expect(inventoryOf(objects).filter((id) => /^(Ingress|NetworkPolicy|PodDisruptionBudget)\//.test(id))).toEqual([
      "Ingress/fl-flotilla-api",
      "NetworkPolicy/fl-flotilla-api",
      "NetworkPolicy/fl-flotilla-generator",
      "NetworkPolicy/fl-flotilla-redis",
      "NetworkPolicy/fl-flotilla-workers",
      "PodDisruptionBudget/fl-flotilla-api",
      "PodDisruptionBudget/fl-flotilla-generator",
      "PodDisruptionBudget/fl-flotilla-workers",
    ]);
    const redisPolicy = find(objects, "NetworkPolicy", "fl-flotilla-redis") as unknown as {
      spec: { ingress: Array<{ ports: unknown[]; from: Array<Record<string, unknown>> }> };
    };
    expect(redisPolicy.spec.ingress).toHaveLength(1);
    expect(redisPolicy.spec.ingress[0]?.ports).toEqual([{ protocol: "TCP", port: 6379 }]);
    expect(redisPolicy.spec.ingress[0]?.from).toEqual([
      {
        podSelector: {
          matchExpressions: [
            { key: "app.kubernetes.io/instance", operator: "In", values: ["fl"] },
            { key: "app.kubernetes.io/component", operator: "In", values: ["generator", "workers", "api"] },
          ],
        },
      },
      { ipBlock: { cidr: "203.0.113.0/24" } },
    ]);
    expect(find(objects, "Service", "fl-flotilla-redis")).toMatchObject({ spec: { type: "LoadBalancer" } });
    // Without allowFrom the service ports stay open to all; with it, only to those peers.
    expect(find(objects, "NetworkPolicy", "fl-flotilla-api")).toMatchObject({
      spec: {
        ingress: [
          {
            ports: [{ port: 8080 }],
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
          },
        ],
      },
    });
  });
});
