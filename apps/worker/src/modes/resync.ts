import type { Application } from "@flotilla/core";
import type { SyncJob, SyncSource } from "@flotilla/queue";
import type { Logger } from "pino";
import type { WorkerRuntime } from "../runtime.ts";
import type { AppStatus } from "../status/types.ts";

export interface ResyncOptions {
  /** Time between two full re-syncs of every Application this worker serves; 0 turns it off. @defaultValue 180000 */
  intervalMs: number;
}

export function defaultResyncOptions(): ResyncOptions {
  return { intervalMs: 180_000 };
}

/**
 * The periodic full re-sync, the backstop of continuous reconciliation: every Application with a status on a
 * served cluster is put back on its queue with its current spec, in the periodic lane (behind commits and edits,
 * skipped while other work for it is pending). A sync that finds nothing new in Git checks for drift (or reverts
 * it, with selfHeal), unless the drift watches vouch that nothing changed since the last check (see
 * `unchangedOnCluster`): then it asks the cluster nothing. It also picks up new commits on a source branch, which
 * the generator does not watch, and settles health still Progressing once the health settler gave up.
 */
export class Resync {
  readonly #runtime: WorkerRuntime;
  readonly #clusters: () => readonly string[];
  readonly #options: ResyncOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(runtime: WorkerRuntime, clusters: () => readonly string[], options: Partial<ResyncOptions> = {}) {
    this.#runtime = runtime;
    this.#clusters = clusters;
    this.#options = { ...defaultResyncOptions(), ...options };
    this.#log = runtime.log.child({ component: "resync" });
  }

  start(): void {
    if (this.#options.intervalMs <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#running = this.runOnce().catch((err: unknown) => this.#log.warn({ err }, "re-sync failed"));
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Enqueues every served Application once; returns how many. */
  async runOnce(): Promise<number> {
    let enqueued = 0;
    for (const cluster of this.#clusters()) {
      const jobs = await this.#jobsFor(cluster);
      // The periodic lane: waits behind commits and edits on the cluster, and skips Applications with work pending.
      const items = jobs.map((job) => ({ kind: "sync" as const, job }));
      if (jobs.length > 0) await this.#runtime.queues.enqueueAll(items, undefined, { lane: "periodic" });
      enqueued += jobs.length;
    }
    if (enqueued > 0) this.#log.debug({ enqueued }, "periodic re-sync enqueued");
    return enqueued;
  }

  /** Re-syncs one Application now (a watch saw its object change); false when it is not served here any more. */
  async enqueueApp(cluster: string, appSet: string, application: string): Promise<boolean> {
    const status = await this.#runtime.status.get({ cluster, appSet, application });
    if (status === undefined) return false;
    const applications = this.#runtime.store.applications;
    const [app, hashes, [source]] = await Promise.all([
      applications.get(appSet, application),
      applications.hashes(appSet),
      applications.sources(appSet, [application]),
    ]);
    const job = jobOf(cluster, status, app, hashes, source as SyncSource | undefined);
    if (job === undefined) return false;
    await this.#runtime.queues.enqueueSync(job);
    return true;
  }

  async #jobsFor(cluster: string): Promise<SyncJob[]> {
    const byAppSet = new Map<string, AppStatus[]>();
    for (const status of await this.#runtime.status.list(cluster)) {
      byAppSet.set(status.appSet, [...(byAppSet.get(status.appSet) ?? []), status]);
    }
    const jobs: SyncJob[] = [];
    const applications = this.#runtime.store.applications;
    for (const [appSet, statuses] of byAppSet) {
      const names = statuses.map((s) => s.application);
      const [specs, hashes, sources] = await Promise.all([
        applications.getMany(appSet, names),
        applications.hashes(appSet),
        applications.sources(appSet, names),
      ]);
      statuses.forEach((status, i) => {
        const job = jobOf(cluster, status, specs[i], hashes, sources[i] as SyncSource | undefined);
        if (job !== undefined) jobs.push(job);
      });
    }
    return jobs;
  }
}

/**
 * The sync job re-applying an Application's current spec and the bundle the generator published with it (the
 * worker checks the job's shape when it runs it); undefined when it left the store or the cluster.
 */
function jobOf(
  cluster: string,
  status: AppStatus,
  app: Application | undefined,
  hashes: ReadonlyMap<string, string>,
  source: SyncSource | undefined,
): SyncJob | undefined {
  // Gone from the store: its delete job is on the way, and re-syncing it would bring it back.
  if (app === undefined || app.spec.destination.cluster !== cluster) return undefined;
  return {
    appSet: status.appSet,
    application: status.application,
    cluster,
    hash: hashes.get(status.application) ?? status.appHash ?? "resync",
    revision: status.fleetRevision ?? "resync",
    app,
    ...(source !== undefined && { source }),
  };
}
