import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppStatus, StatusStore } from "@flotilla/status";
import { openStore, type Store } from "@flotilla/store";
import {
  apiRequest,
  type ClusterInfo,
  eventually,
  freePort,
  type ServiceProcess,
  type StartedRedis,
  startRedis,
  startServiceProcess,
  TestGitRepo,
} from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secondsSince } from "./cluster-objects.ts";
import { recordFault } from "./report/record.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PREFIX = "loss:";
const APPSET = "lossy";
const SECRET = "loss-webhook-secret";

/**
 * Redis loses everything (FLUSHALL) under a converged fleet: a generator, a pool worker and an agent, each its own
 * process, on 3 real clusters. On a Redis of this test's own: it flushes the whole server.
 */
describeWithClusters(
  "Redis data loss under a running fleet (real processes, real Redis, 3 real clusters)",
  (clusters) => {
    const [agentCluster, ...poolClusters] = clusters as [ClusterInfo, ClusterInfo, ClusterInfo];
    const namespace = `loss-${randomBytes(3).toString("hex")}`;
    const work = mkdtempSync(join(tmpdir(), "flotilla-loss-"));
    const source = new TestGitRepo();
    const fleet = new TestGitRepo();
    const key = randomBytes(32);
    const procs: ServiceProcess[] = [];
    let own: StartedRedis;
    let conn: Redis;
    let store: Store;
    let status: StatusStore;
    let webhookPort: number;

    /** A signed GitHub push of main to `dir`: how the generator learns of a commit (it polls only hourly here). */
    const push = async (dir: string) => {
      const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: dir } }));
      const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
      const res = await fetch(`http://127.0.0.1:${webhookPort}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature },
        body,
      }).catch((err: unknown) => {
        const generator = procs[0]!;
        const tail = generator
          .logs()
          .slice(-8)
          .map((l) => JSON.stringify(l));
        throw new Error(
          `webhook refused; generator exit ${generator.child.exitCode}, stderr: ${generator.stderr().slice(-2000)}, last logs:\n${tail.join("\n")}`,
          { cause: err },
        );
      });
      expect(res.status).toBe(202);
    };

    const appSet = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${APPSET} }
spec:
  generators:
    - clusters: { selector: { matchLabels: { fleet: lossy } } }
  template:
    metadata: { name: "cm-{{name}}" }
    spec:
      source: { repoURL: "${source.dir}", targetRevision: main, path: app }
      destination: { cluster: "{{name}}", namespace: ${namespace} }
      syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true] }
`;
    const configMap = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: survivor }\ndata: { version: "${v}" }\n`;

    const registerPool = async () => {
      for (const c of poolClusters) {
        await store.clusters.register({
          name: c.name,
          server: c.apiUrl,
          labels: { fleet: "lossy" },
          mode: "pool",
          credentials: { kind: "kubeconfig", kubeconfig: c.kubeconfig },
        });
      }
    };

    /** The ConfigMap on each cluster: its uid (to prove it was never deleted and re-created) and its version. */
    const onClusters = () =>
      Promise.all(
        clusters.map(async (c) => {
          const res = await apiRequest(c, `/api/v1/namespaces/${namespace}/configmaps/survivor`);
          if (res.status !== 200) return undefined;
          const cm = JSON.parse(res.body) as { metadata: { uid: string }; data: { version: string } };
          return { uid: cm.metadata.uid, version: cm.data.version };
        }),
      );

    const statuses = () =>
      Promise.all(clusters.map((c) => status.get({ cluster: c.name, appSet: APPSET, application: `cm-${c.name}` })));
    const allSynced = (s: (AppStatus | undefined)[], revision: string) =>
      s.every((x) => x?.sync === "Synced" && x.revision === revision);

    beforeAll(async () => {
      own = await startRedis();
      webhookPort = await freePort();
      conn = new Redis(own.info.url, { maxRetriesPerRequest: null });
      store = await openStore({ redis: conn, prefix: PREFIX, encryptionKey: key, log: pino({ level: "silent" }) });
      status = new StatusStore(conn, { prefix: PREFIX });
      await registerPool();
      source.commit({ "app/cm.yaml": configMap("1") });
      fleet.commit({ "appsets/lossy.yaml": appSet });
      const kubeconfigPath = join(work, "agent.kubeconfig");
      writeFileSync(kubeconfigPath, agentCluster.kubeconfig, { mode: 0o600 });
      // The fleet repository is a local one: allowed explicitly, as an operator would have to.
      const common = {
        FLOTILLA_REDIS_URL: own.info.url,
        FLOTILLA_REDIS_PREFIX: PREFIX,
        FLOTILLA_LOG_LEVEL: "info",
        FLOTILLA_ALLOW_LOCAL_REPOS: "true",
      };
      const worker = join(ROOT, "apps/worker/src/main.ts");
      procs.push(
        startServiceProcess({
          script: join(ROOT, "apps/generator/src/main.ts"),
          env: {
            ...common,
            FLOTILLA_FLEET_REPO: fleet.dir,
            FLOTILLA_FLEET_REVISION: "main",
            FLOTILLA_APPSET_PATHS: "appsets/*.yaml",
            // Hourly: what happens after the loss must come from the registry watch and the lease, not a poll.
            FLOTILLA_POLL_INTERVAL: "1h",
            FLOTILLA_WEBHOOK_PORT: String(webhookPort),
            FLOTILLA_WEBHOOK_SECRET: SECRET,
            FLOTILLA_REPO_CACHE: join(work, "repos-generator"),
          },
        }),
        startServiceProcess({
          script: worker,
          env: {
            ...common,
            FLOTILLA_MODE: "pool",
            FLOTILLA_WORKER_ID: "pool-1",
            FLOTILLA_ENCRYPTION_KEY: key.toString("base64"),
            FLOTILLA_LEASE_TTL: "3s",
            FLOTILLA_REPO_CACHE: join(work, "repos-pool"),
          },
        }),
        startServiceProcess({
          script: worker,
          env: {
            ...common,
            FLOTILLA_MODE: "agent",
            FLOTILLA_CLUSTER: agentCluster.name,
            FLOTILLA_KUBECONFIG: kubeconfigPath,
            FLOTILLA_LABELS: "fleet=lossy",
            FLOTILLA_REPO_CACHE: join(work, "repos-agent"),
          },
        }),
      );
    }, 180_000);

    afterAll(async () => {
      for (const p of procs) p.kill();
      await conn?.quit();
      await own?.stop();
      source.remove();
      fleet.remove();
    });

    it("nothing is deleted on any cluster; agents register again, pool clusters are reported lost, and the fleet converges once they are re-added", async () => {
      await recordFault(
        {
          id: "redis-wipe",
          order: 3,
          fault: "Redis data wiped (FLUSHALL) under a converged fleet: generator, a pool worker, an agent",
          expected:
            "nothing deleted on any cluster; agent registers again, pool clusters reported lost; converges once re-added",
        },
        async () => {
          const first = source.git("rev-parse", "HEAD").trim();
          const [, pool, agent] = procs as [ServiceProcess, ServiceProcess, ServiceProcess];
          await eventually(
            "the fleet converged",
            async () => (allSynced(await statuses(), first) ? true : undefined),
            120_000,
          );
          const before = await onClusters();
          expect(before.every((o) => o?.version === "1")).toBe(true);

          await conn.flushall();
          const wipedAt = performance.now();

          // The agent's next heartbeat finds no record and registers its cluster again.
          await eventually("the agent registered again", () => store.clusters.get(agentCluster.name), 60_000);
          // The pool worker says loudly which clusters it can no longer reach, and records them.
          const lost = await eventually(
            "the lost pool clusters recorded",
            async () => {
              const l = await store.lostClusters.list();
              return l.length === poolClusters.length ? l : undefined;
            },
            60_000,
          );
          expect(lost.map((c) => c.name)).toEqual(poolClusters.map((c) => c.name).sort());
          expect(lost.map((c) => c.server).sort()).toEqual(poolClusters.map((c) => c.apiUrl).sort());
          for (const c of poolClusters) {
            expect(
              pool.logs().some((l) => l.level === 50 && l.cluster === c.name && /pool cluster lost/.test(l.msg)),
            ).toBe(true);
          }
          expect(agent.logs().some((l) => l.msg === "cluster record missing at heartbeat; registering again")).toBe(
            true,
          );
          // The generator regenerated from Git: the agent's Application is back in the store and synced again.
          await eventually(
            "the agent's Application synced again",
            async () => {
              const s = await status.get({
                cluster: agentCluster.name,
                appSet: APPSET,
                application: `cm-${agentCluster.name}`,
              });
              return s?.sync === "Synced" ? s : undefined;
            },
            60_000,
          );
          // Nothing was deleted: same objects (same uid), same content, on every cluster, pool clusters included.
          expect(await onClusters()).toEqual(before);
          const recovery = secondsSince(wipedAt);

          await registerPool();
          await eventually(
            "the lost records cleared",
            async () => ((await store.lostClusters.list()).length === 0 ? true : undefined),
            60_000,
          );
          const second = source.commit({ "app/cm.yaml": configMap("2") });
          await push(source.dir);
          await eventually(
            "the fleet converged again",
            async () => (allSynced(await statuses(), second) ? true : undefined),
            120_000,
          );
          const after = await onClusters();
          expect(after.map((o) => o?.version)).toEqual(["2", "2", "2"]);
          expect(after.map((o) => o?.uid)).toEqual(before.map((o) => o?.uid));
          return {
            observed: `no object deleted or re-created on the ${clusters.length} clusters; the agent registered again and its Application re-synced; ${lost.length} pool clusters recorded lost, then converged to the next commit once re-added`,
            recoverySeconds: recovery,
          };
        },
      );
    }, 480_000);
  },
);
