// Rollout benchmark (issue 13): the overhead of a three-step RollingSync (dev → staging → prod) against AllAtOnce
// for the same change on local clusters (kube-apiserver, controller-manager, scheduler, KWOK), Redis, the generator
// and one pool worker as their own processes. Each run changes every Deployment's image; "done" is every Application
// Synced at that commit and Healthy. Per step it prints the wait (from the previous step done, or the commit, to
// the step's first release) against its Applications' own roll-out time (released → seen Synced and Healthy, which
// the controller notices at its next tick).
// Run: pnpm bench rollout. Scale with BENCH_APPS (4 Applications per cluster), BENCH_CONCURRENCY (4), BENCH_ROLLOUT_TICK
// (2s, the generator's rollout tick), BENCH_PHASE_TIMEOUT_S (300), BENCH_LOG_LEVEL (info), BENCH_KEEP_LOGS.

import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Service, startPoolWorker, startService, stopService } from "@flotilla/demo";
import type { Rollout } from "@flotilla/rollout";
import { StatusStore } from "@flotilla/status";
import { openStore, type Store } from "@flotilla/store";
import { type ClusterSet, eventually, freePort, type StartedRedis, startClusters, startRedis } from "@flotilla/testbed";
import type { Redis } from "ioredis";
import pino from "pino";
import { benchRedis, git, reportResult } from "./support.ts";

const APPS = Number(process.env.BENCH_APPS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROLLOUT_TICK = process.env.BENCH_ROLLOUT_TICK ?? "2s";
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_S ?? 300) * 1000;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PREFIX = "bench:";
const SECRET = randomBytes(16).toString("hex");
const ENVS = ["dev", "staging", "prod"] as const;

const now = (): number => performance.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const say = (text: string): void => void process.stdout.write(`${text}\n`);

function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: registry.invalid/web:1 }] }
`;

function appSet(repo: string, options: { image: string; rolling: boolean }): string {
  const strategy = options.rolling
    ? `  strategy:
    type: RollingSync
    rollingSync:
      steps:
${ENVS.map((e) => `        - matchExpressions: [{ key: env, operator: In, values: [${e}] }]`).join("\n")}
`
    : "  strategy: { type: AllAtOnce }\n";
  const apps = Array.from({ length: APPS }, (_, i) => `{ app: app${i} }`).join(", ");
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: bench }
spec:
  generators:
    - matrix:
        generators:
          - clusters: {}
          - list: { elements: [${apps}] }
${strategy}  template:
    metadata: { name: "{{app}}-{{name}}", labels: { env: "{{metadata.labels.env}}" } }
    spec:
      source:
        repoURL: ${repo}
        targetRevision: main
        path: apps/web
        kustomize: { images: ["registry.invalid/web=${options.image}"] }
      destination: { cluster: "{{name}}", namespace: "bench-{{app}}" }
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }
`;
}

/** Every Application of the set Synced at `commit` and Healthy. */
async function allDone(store: Store, status: StatusStore, clusters: readonly string[], commit: string) {
  const expected = clusters.length * APPS;
  let done = 0;
  for (const c of clusters) {
    for (const s of await status.list(c)) {
      if (s.appSet === "bench" && s.fleetRevision === commit && s.sync === "Synced" && s.health === "Healthy") done++;
    }
  }
  const digests = await store.applications.desiredDigests("bench");
  return done === expected && digests.size === expected ? true : undefined;
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "flotilla-bench-rollout-"));
  const logs = join(work, "logs");
  mkdirSync(logs);
  let bed: ClusterSet | undefined;
  let redisContainer: StartedRedis | undefined;
  let conn: Redis | undefined;
  const services: Service[] = [];
  let failed = true;
  try {
    say("rollout benchmark: starting 3 clusters and Redis …");
    [bed, redisContainer] = await Promise.all([
      startClusters({ count: 3, withControllerManager: true, withKwok: true }),
      startRedis(),
    ]);
    const key = randomBytes(32);
    const keyFile = join(work, "encryption.key");
    writeFileSync(keyFile, key.toString("base64"), { mode: 0o600 });
    conn = benchRedis(redisContainer.info.url);
    const store = await openStore({ redis: conn, prefix: PREFIX, encryptionKey: key, log: pino({ level: "silent" }) });
    const names = bed.clusters.map((c) => c.name);
    for (const [i, c] of bed.clusters.entries()) {
      await store.clusters.register({
        name: c.name,
        server: c.apiUrl,
        labels: { env: ENVS[i]! },
        mode: "pool",
        credentials: { kind: "kubeconfig", kubeconfig: c.kubeconfig },
      });
    }
    const status = new StatusStore(conn, { prefix: PREFIX });

    const fleet = join(work, "fleet");
    mkdirSync(join(fleet, "apps/web"), { recursive: true });
    mkdirSync(join(fleet, "appsets"));
    git(fleet, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(fleet, "apps/web/kustomization.yaml"), "resources: [deployment.yaml]\n");
    writeFileSync(join(fleet, "apps/web/deployment.yaml"), deployment);
    const setFile = join(fleet, "appsets/bench.yaml");
    writeFileSync(setFile, appSet(fleet, { image: "registry.invalid/web:1", rolling: false }));
    const first = commitAll(fleet, "AllAtOnce, image 1");

    const port = await freePort();
    const common = {
      FLOTILLA_REDIS_URL: redisContainer.info.url,
      FLOTILLA_REDIS_PREFIX: PREFIX,
      FLOTILLA_LOG_LEVEL: LOG_LEVEL,
      FLOTILLA_ALLOW_LOCAL_REPOS: "true",
    };
    const generator = startService(
      "generator",
      join(ROOT, "apps/generator/src/main.ts"),
      {
        ...common,
        FLOTILLA_FLEET_REPO: fleet,
        FLOTILLA_FLEET_REVISION: "main",
        FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
        FLOTILLA_POLL_INTERVAL: "1h",
        FLOTILLA_ROLLOUT_TICK: ROLLOUT_TICK,
        FLOTILLA_WEBHOOK_PORT: String(port),
        FLOTILLA_WEBHOOK_SECRET: SECRET,
        FLOTILLA_REPO_CACHE: join(work, "repos-generator"),
      },
      join(logs, "generator.log"),
    );
    services.push(generator);
    services.push(
      startPoolWorker({
        id: "worker-1",
        root: ROOT,
        env: { ...common, FLOTILLA_CONCURRENCY: String(CONCURRENCY) },
        keyFile,
        workDir: work,
        logsDir: logs,
      }),
    );
    const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: fleet } }));
    const push = async (): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    };
    await eventually(
      "the first generation in force",
      () => allDone(store, status, names, first),
      PHASE_TIMEOUT_MS,
      250,
    );

    /** Commits the ApplicationSet and measures commit → every Application Synced at it and Healthy. */
    const measure = async (image: string, rolling: boolean): Promise<{ commit: string; ms: number; at: number }> => {
      writeFileSync(setFile, appSet(fleet, { image, rolling }));
      const commit = commitAll(fleet, `${rolling ? "RollingSync" : "AllAtOnce"}, ${image}`);
      const at = Date.now();
      const t = now();
      await push();
      await eventually(`${image} everywhere`, () => allDone(store, status, names, commit), PHASE_TIMEOUT_MS, 100);
      return { commit, ms: now() - t, at };
    };

    const allAtOnce = await measure("registry.invalid/web:2", false);
    // Switching the strategy changes no Application: the next change is the one rolled out.
    const rolling = await measure("registry.invalid/web:3", true);
    // The controller records the last step done at its next tick (outside the measured time).
    const rollout: Rollout = await eventually(
      "the rollout recorded complete",
      async () => {
        const r = await store.rollouts.get("bench");
        return r?.commit === rolling.commit && r.phase === "Completed" ? r : undefined;
      },
      PHASE_TIMEOUT_MS,
      100,
    );

    // A step's Applications are seen done at a tick, and the next step is released in that same tick: the controller's
    // share is the wait before the first step plus up to one tick inside each step's time.
    const steps: string[][] = [];
    let previousDone = rolling.at;
    rollout.steps.forEach((step, i) => {
      const apps = rollout.applications.filter((a) => a.step === i);
      const released = Math.min(...apps.map((a) => Date.parse(a.releasedAt ?? "")));
      const done = Math.max(...apps.map((a) => Date.parse(a.doneAt ?? "")));
      const label = step.index === null ? "unmatched" : (ENVS[step.index] ?? String(step.index));
      steps.push([label, String(apps.length), secs(released - previousDone), secs(done - released)]);
      previousDone = done;
    });
    say("");
    reportResult({
      benchmark: "rollout",
      title: `rollout benchmark — 3 clusters (dev, staging, prod) × ${APPS} Applications (a Deployment each)`,
      notes: [`rollout tick ${ROLLOUT_TICK}`],
      tables: [
        {
          columns: ["strategy", "commit → all Synced and Healthy", "note"],
          rows: [
            ["AllAtOnce", secs(allAtOnce.ms), `${names.length * APPS} Applications`],
            ["RollingSync", secs(rolling.ms), "three steps"],
            [
              "overhead",
              secs(rolling.ms - allAtOnce.ms),
              `${(rolling.ms / allAtOnce.ms).toFixed(2)}× AllAtOnce; rollout tick ${ROLLOUT_TICK}`,
            ],
          ],
        },
        {
          caption: "per step",
          columns: ["step", "Applications", "wait before start", "released → seen done (within one tick)"],
          rows: steps,
        },
      ],
    });
    failed = false;
  } finally {
    for (const s of services) await stopService(s, 10_000).catch(() => undefined);
    await conn?.quit().catch(() => undefined);
    await redisContainer?.stop().catch(() => undefined);
    await bed?.stop().catch(() => undefined);
    if (failed || process.env.BENCH_KEEP_LOGS) console.error(`logs kept in ${logs}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await run();
