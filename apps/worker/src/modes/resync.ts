import { type Application, type ClusterIndex, destinationOfStored, indexClusters } from "@flotilla/core";
import { isFailedSource, type SyncJob, type SyncSource } from "@flotilla/queue";
import type { AppStatus } from "@flotilla/status";
import type { Logger } from "pino";
import { sweepDeletions } from "../deletions/sweep-deletions.ts";
import type { WorkerRuntime } from "../runtime.ts";
import { unchangedOnCluster } from "../steps/detect-drift.ts";

export interface ResyncOptions {
  /** Time between two full re-syncs of every Application this worker serves; 0 turns it off. @defaultValue 180000 */
  intervalMs: number;
  /**
   * Time between two sweeps of the pending deletions (`sweepDeletions`). Not optional: a failed delete must be
   * retried even with the re-sync off, so a value of 0 or less means the default. @defaultValue 30000
   */
  deletionSweepMs: number;
}

export function defaultResyncOptions(): ResyncOptions {
  return { intervalMs: 180_000, deletionSweepMs: 30_000 };
}

/**
 * The periodic full re-sync, the backstop of continuous reconciliation: every Application with a status on a
 * served cluster is put back on its queue with its current spec, in the periodic lane (behind commits and edits,
 * skipped while other work for it is pending). A sync that finds nothing new in Git checks for drift (or reverts
 * it, with selfHeal), unless the drift watches vouch that nothing changed since the last check (see
 * `unchangedOnCluster`): then it asks the cluster nothing. It also picks up new commits on a source branch, which
 * the generator does not watch, and settles health still Progressing once the health settler gave up.
 * On its own timer, always on, it is also the backstop of deletions still owed (`sweepDeletions`).
 */
export class Resync {
  readonly #runtime: WorkerRuntime;
  readonly #clusters: () => readonly string[];
  readonly #options: ResyncOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #sweeping: Promise<unknown> = Promise.resolve();

  constructor(runtime: WorkerRuntime, clusters: () => readonly string[], options: Partial<ResyncOptions> = {}) {
    this.#runtime = runtime;
    this.#clusters = clusters;
    const defaults = defaultResyncOptions();
    const merged = { ...defaults, ...options };
    if (!(merged.deletionSweepMs > 0)) merged.deletionSweepMs = defaults.deletionSweepMs;
    this.#options = merged;
    this.#log = runtime.log.child({ component: "resync" });
  }

  start(): void {
    if (this.#sweepTimer === undefined) {
      this.#sweepTimer = setInterval(() => {
        this.#sweeping = this.sweepDeletions().catch((err: unknown) =>
          this.#log.warn({ err }, "pending-deletion sweep failed"),
        );
      }, this.#options.deletionSweepMs);
      this.#sweepTimer.unref();
    }
    if (this.#options.intervalMs <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#running = this.runOnce().catch((err: unknown) => this.#log.warn({ err }, "re-sync failed"));
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#sweepTimer);
    this.#timer = undefined;
    this.#sweepTimer = undefined;
    await Promise.all([this.#running, this.#sweeping]);
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

  /**
   * Retries the pending deletions of every served cluster whose next attempt is due (see `sweepDeletions`): the
   * backstop that keeps a failed delete owed after its job's own retries ran out. Returns how many were enqueued.
   */
  async sweepDeletions(): Promise<number> {
    const deps = {
      pending: this.#runtime.store.pendingDeletions,
      applications: this.#runtime.store.applications,
      queues: this.#runtime.queues,
      log: this.#log,
      now: this.#runtime.deps.now,
    };
    let enqueued = 0;
    for (const cluster of this.#clusters()) enqueued += await sweepDeletions(deps, cluster);
    return enqueued;
  }

  /**
   * Re-syncs one Application: a watch saw its objects change (`prompt`), or found them last written by someone else
   * when it first listed the cluster (`periodic`). False when it is not served here any more.
   */
  async enqueueApp(
    cluster: string,
    appSet: string,
    application: string,
    lane: "prompt" | "periodic" = "prompt",
  ): Promise<boolean> {
    const status = await this.#runtime.status.get({ cluster, appSet, application });
    if (status === undefined) return false;
    if (await this.#frozen(appSet)) return false;
    const applications = this.#runtime.store.applications;
    const [app, desiredDigests, [source]] = await Promise.all([
      applications.get(appSet, application),
      applications.desiredDigests(appSet),
      applications.sources(appSet, [application]),
    ]);
    const job = jobOf({
      cluster,
      clusters: await this.#indexOf(cluster),
      status,
      app,
      desiredDigests,
      source: source as SyncSource | undefined,
    });
    if (job === undefined) return false;
    await this.#runtime.queues.enqueueSync(job, { lane });
    return true;
  }

  async #jobsFor(cluster: string): Promise<SyncJob[]> {
    const byAppSet = new Map<string, AppStatus[]>();
    for (const status of await this.#runtime.status.list(cluster)) {
      byAppSet.set(status.appSet, [...(byAppSet.get(status.appSet) ?? []), status]);
    }
    const jobs: SyncJob[] = [];
    const applications = this.#runtime.store.applications;
    const clusters = await this.#indexOf(cluster);
    let vouched = 0;
    const frozen: string[] = [];
    for (const [appSet, all] of byAppSet) {
      if (await this.#frozen(appSet)) {
        frozen.push(appSet);
        continue;
      }
      const [desiredDigests, allSources] = await Promise.all([
        applications.desiredDigests(appSet),
        applications.sources(
          appSet,
          all.map((s) => s.application),
        ),
      ]);
      // Specs are read only for the Applications that get a job.
      const due = all.flatMap((status, i) => {
        const source = allSources[i] as SyncSource | undefined;
        return this.#nothingToDo(status, desiredDigests, source) ? [] : [{ status, source }];
      });
      vouched += all.length - due.length;
      const specs = await applications.getMany(
        appSet,
        due.map((d) => d.status.application),
      );
      due.forEach(({ status, source }, i) => {
        const job = jobOf({ cluster, clusters, status, app: specs[i], desiredDigests, source });
        if (job !== undefined) jobs.push(job);
      });
    }
    if (vouched > 0) this.#log.debug({ cluster, vouched }, "in sync as the watches vouch; no re-sync job");
    if (frozen.length > 0) {
      this.#log.debug({ cluster, appSets: frozen }, "ApplicationSets removed from Git are frozen; no re-sync job");
    }
    return jobs;
  }

  /**
   * The served cluster's registration, for resolving an Application stored by server alone. Only this cluster's
   * record is read: what the re-sync asks is whether an Application goes here, never where else it goes.
   */
  async #indexOf(cluster: string): Promise<ClusterIndex> {
    const record = await this.#runtime.store.clusters.get(cluster);
    return indexClusters(record === undefined ? [] : [record]);
  }

  /**
   * An ApplicationSet that left Git is frozen while its hold waits for an operator: re-applying its last manifests
   * would undo what Git says (it is gone) and what the operator has not decided yet.
   */
  async #frozen(appSet: string): Promise<boolean> {
    return (await this.#runtime.store.holds.get(appSet))?.kind === "removed";
  }

  /**
   * True when a job would find nothing to do: Git gives what was applied (the generator publishes each new
   * commit of a source and enqueues it itself) and the watches vouch for the cluster (`unchangedOnCluster`).
   * Without a published source this worker resolves Git itself, which only a job does.
   */
  #nothingToDo(
    status: AppStatus,
    desiredDigests: ReadonlyMap<string, string>,
    source: SyncSource | undefined,
  ): boolean {
    if (source === undefined || isFailedSource(source)) return false;
    if (source.commit !== status.revision || source.bundle !== status.bundleDigest) return false;
    if (desiredDigests.get(status.application) !== status.desiredDigest) return false;
    return unchangedOnCluster(this.#runtime.deps.watch.ledger, status, new Date());
  }
}

interface JobInput {
  cluster: string;
  /** The served cluster, to resolve a destination by (see `destinationOfStored`). */
  clusters: ClusterIndex;
  status: AppStatus;
  app: Application | undefined;
  desiredDigests: ReadonlyMap<string, string>;
  source: SyncSource | undefined;
}

/**
 * The sync job re-applying an Application's current spec and the bundle the generator published with it (the
 * worker checks the job's shape when it runs it); undefined when it left the store or the cluster.
 */
function jobOf(input: JobInput): SyncJob | undefined {
  const { cluster, status, app, desiredDigests, source } = input;
  // Gone from the store: its delete job is on the way, and re-syncing it would bring it back.
  if (app === undefined) return undefined;
  // Addressed by name or by server, it must resolve to this cluster: the one destination contract.
  const destination = destinationOfStored(app.spec.destination, input.clusters);
  if (!destination.ok || destination.cluster !== cluster) return undefined;
  return {
    appSet: status.appSet,
    application: status.application,
    cluster,
    desiredDigest: desiredDigests.get(status.application) ?? status.desiredDigest ?? "resync",
    revision: status.fleetRevision ?? "resync",
    app,
    ...(source !== undefined && { source }),
  };
}
