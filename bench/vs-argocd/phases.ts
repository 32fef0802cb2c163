// The three measurements, the same for every system: converge, one-file change, manual edit.
import { setTimeout as sleep } from "node:timers/promises";
import { processUsage } from "@flotilla/peer-argocd";
import { apiRequest, type Cluster, eventually } from "@flotilla/testbed";
import type { Redis } from "ioredis";
import { percentile } from "../support.ts";
import { describeRequests, requestCounts, requestsBetween, totalRequests } from "./api-requests.ts";
import { commandCounts, commandsBetween } from "./redis-commands.ts";
import { appName, commitAll, type SystemUnderTest, writeApp } from "./system.ts";
import type { SystemFigures } from "./table.ts";

export interface PhaseOptions {
  clusters: readonly Cluster[];
  apps: number;
  fleetDir: string;
  /** One-file changes, each to another app, each measured on every cluster. */
  changes: number;
  edits: number;
  timeoutMs: number;
  say: (line: string) => void;
  /** The Redis both systems use, for its command counters. */
  redis: Redis;
}

const now = () => performance.now();
// Every one-file change writes a value no earlier change wrote, across systems too (they share the fleet).
let nextRev = 100;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function configMapRev(cluster: Cluster, namespace: string, name: string): Promise<string | undefined> {
  const res = await apiRequest(cluster.info, `/api/v1/namespaces/${namespace}/configmaps/${name}`);
  if (res.status !== 200) return undefined;
  return (JSON.parse(res.body) as { data?: Record<string, string> }).data?.["rev"];
}

/** Polls until every cluster's ConfigMap holds `rev`; the ms from `t0` at which each one did. */
async function untilEveryCluster(
  options: PhaseOptions,
  namespace: string,
  name: string,
  rev: string,
  t0: number,
  limitMs: number,
): Promise<{ times: number[]; missed: number }> {
  const times: number[] = [];
  let missed = 0;
  await Promise.all(
    options.clusters.map(async (cluster) => {
      while (now() - t0 < limitMs) {
        if ((await configMapRev(cluster, namespace, name).catch(() => undefined)) === rev) {
          times.push(now() - t0);
          return;
        }
        await sleep(200);
      }
      missed++;
    }),
  );
  return { times, missed };
}

/** Runs the phases against one system and returns its figures; the system is stopped afterwards. */
export async function measure(system: SystemUnderTest, options: PhaseOptions): Promise<SystemFigures> {
  const { say } = options;
  const expected = options.clusters.length * options.apps;
  const figures: SystemFigures = {
    system: system.name,
    unreverted: 0,
    cpuSeconds: 0,
    peakRssBytes: 0,
    processes: "",
  };
  const sample = () => {
    const usages = system.pids().map((pid) => processUsage(pid));
    figures.cpuSeconds = usages.reduce((s, u) => s + (u?.cpuSeconds ?? 0), 0);
    figures.peakRssBytes = usages.reduce((s, u) => s + (u?.peakRssBytes ?? 0), 0);
  };
  figures.processes = `${system.pids().length} processes`;
  try {
    // 1. The ApplicationSet arrives → every Application Synced and Healthy at the fleet's head.
    say(`  ${system.name}: deploying ${expected} Applications`);
    const requestsBefore = await requestCounts(options.clusters);
    const commandsBefore = await commandCounts(options.redis);
    await system.selfReport?.();
    const t0 = now();
    const commit = await system.deploy();
    let last = "";
    await eventually(
      `${expected} Applications Synced and Healthy under ${system.name}`,
      async () => {
        const p = await system.progress(commit);
        figures.convergeShortfall = { done: p.done, expected, afterMs: now() - t0 };
        const line = `${p.done}/${expected} Synced+Healthy (${p.total} generated${p.errors ? `, ${p.errors} errors` : ""})`;
        if (line !== last) process.stdout.write(`\r    ${line} ${secs(now() - t0)}   `);
        last = line;
        sample();
        return p.done === expected ? true : undefined;
      },
      options.timeoutMs,
      1_000,
    );
    figures.convergeMs = now() - t0;
    figures.convergeShortfall = undefined;
    process.stdout.write("\n");
    say(`    converged in ${secs(figures.convergeMs)}`);
    const requests = requestsBetween(requestsBefore, await requestCounts(options.clusters));
    figures.convergeRequests = totalRequests(requests);
    say(`    API requests while converging: ${figures.convergeRequests} (${describeRequests(requests)})`);
    const commands = commandsBetween(commandsBefore, await commandCounts(options.redis));
    figures.convergeRedisCommands = totalRequests(commands);
    say(
      `    Redis commands while converging: ${figures.convergeRedisCommands}, ${(figures.convergeRedisCommands / expected).toFixed(1)} per Application (${describeRequests(commands, 12)})`,
    );
    for (const line of (await system.selfReport?.()) ?? []) say(`    ${line}`);

    // 2. One file changes (one app's ConfigMap): commit, push notification → applied on every cluster.
    const changeTimes: number[] = [];
    let changeMissed = 0;
    for (let round = 0; round < options.changes; round++) {
      const i = round % options.apps;
      const rev = nextRev++;
      writeApp(options.fleetDir, i, rev);
      const t = now();
      commitAll(options.fleetDir, `bench: ${appName(i)} rev ${rev}`);
      await system.notifyPush();
      const r = await untilEveryCluster(
        options,
        `${system.namespacePrefix}${appName(i)}`,
        appName(i),
        String(rev),
        t,
        options.timeoutMs,
      );
      changeTimes.push(...r.times);
      changeMissed += r.missed;
      sample();
    }
    const changes = changeTimes.sort((a, b) => a - b);
    if (changeMissed === 0) {
      figures.changeP50Ms = percentile(changes, 50);
      figures.changeP99Ms = percentile(changes, 99);
    }
    say(
      `    one-file change: ${changes.length} applications measured, p50 ${secs(percentile(changes, 50))}, p99 ${secs(percentile(changes, 99))}${changeMissed ? `, ${changeMissed} never applied` : ""}`,
    );

    // 3. Manual edits (another field manager rewrites a ConfigMap's data) → reverted by self-heal.
    const revertTimes: number[] = [];
    const gapMs = 300;
    const revertLimitMs = Math.min(options.timeoutMs, 180_000);
    await Promise.all(
      Array.from({ length: options.edits }, async (_, e) => {
        await sleep(e * gapMs);
        const cluster = options.clusters[e % options.clusters.length] as Cluster;
        // Apps the change phase touched have another rev; edit the others.
        const i = options.changes + (Math.floor(e / options.clusters.length) % (options.apps - options.changes));
        const namespace = `${system.namespacePrefix}${appName(i)}`;
        const t = now();
        const res = await apiRequest(
          cluster.info,
          `/api/v1/namespaces/${namespace}/configmaps/${appName(i)}?fieldManager=bench-kubectl-edit&force=true`,
          {
            method: "PATCH",
            contentType: "application/apply-patch+yaml",
            body: {
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: appName(i), namespace },
              data: { rev: "edited-by-hand" },
            },
          },
        );
        if (res.status >= 300)
          throw new Error(`manual edit of ${appName(i)} on ${cluster.name}: HTTP ${res.status} ${res.body}`);
        while (now() - t < revertLimitMs) {
          if ((await configMapRev(cluster, namespace, appName(i)).catch(() => undefined)) === "1") {
            revertTimes.push(now() - t);
            return;
          }
          await sleep(200);
        }
        figures.unreverted++;
      }),
    );
    sample();
    const reverts = revertTimes.sort((a, b) => a - b);
    if (reverts.length > 0) {
      figures.revertP50Ms = percentile(reverts, 50);
      figures.revertP99Ms = figures.unreverted === 0 ? percentile(reverts, 99) : undefined;
    }
    say(
      `    manual edits: ${reverts.length}/${options.edits} reverted, p50 ${secs(percentile(reverts, 50))}, p99 ${secs(percentile(reverts, 99))}`,
    );
  } catch (error) {
    process.stdout.write("\n");
    say(`    ${system.name} did not finish: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    sample();
    await system.stop();
  }
  return figures;
}

/** Deletes the namespaces a system created on every cluster and waits until they are gone, so the next system
 * starts on clusters as light as the first one did. */
export async function clearNamespaces(clusters: readonly Cluster[], prefix: string, timeoutMs: number): Promise<void> {
  const mine = async (cluster: Cluster) => {
    const res = await apiRequest(cluster.info, "/api/v1/namespaces", { timeoutMs: 30_000 });
    const items = (JSON.parse(res.body) as { items: Array<{ metadata: { name: string } }> }).items;
    return items.map((n) => n.metadata.name).filter((n) => n.startsWith(prefix));
  };
  await Promise.all(
    clusters.map(async (cluster) => {
      for (const name of await mine(cluster)) {
        await apiRequest(cluster.info, `/api/v1/namespaces/${name}`, { method: "DELETE", timeoutMs: 30_000 });
      }
    }),
  );
  await eventually(
    `namespaces ${prefix}* gone`,
    async () => ((await Promise.all(clusters.map(mine))).every((l) => l.length === 0) ? true : undefined),
    timeoutMs,
    2_000,
  ).catch(() => undefined);
}
