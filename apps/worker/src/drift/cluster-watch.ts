import {
  APPLICATION_LABEL,
  APPSET_LABEL,
  assessHealth,
  idOf,
  isHook,
  type KubeObject,
  type ResourceManager,
} from "@flotilla/kube";
import type { Logger } from "pino";
import { changedByOthersAt, type ManagedFieldsEntry } from "./changed-by-others.ts";
import type { WatchKnowledge } from "./watch-knowledge.ts";
import { kindKey, type WatchedKind } from "./watched-kinds.ts";

export interface ClusterWatchOptions {
  /** How often the watched kinds are brought up to date with what the Applications own. @defaultValue 10000 */
  refreshMs: number;
  /** Pause before a closed or failed watch is opened again. @defaultValue 2000 */
  restartDelayMs: number;
  /** Changes to one Application within this window cause one re-sync. @defaultValue 500 */
  debounceMs: number;
  /** Flotilla's own field manager, whose writes are never drift. @defaultValue "flotilla" */
  fieldManager: string;
  /**
   * The server ends each watch request after this and it is resumed where it stopped. Below the client's 30 s
   * inactivity timeout, and the server sends a bookmark just before, so a quiet watch never times out on the
   * client and always resumes from a recent version. @defaultValue 25
   */
  timeoutSeconds: number;
}

export function defaultClusterWatchOptions(): ClusterWatchOptions {
  return { refreshMs: 10_000, restartDelayMs: 2_000, debounceMs: 500, fieldManager: "flotilla", timeoutSeconds: 25 };
}

/**
 * Re-syncs an Application whose objects someone else changed: at once (`prompt`) for an edit the watch saw, or
 * behind real work (`periodic`) for one found already edited when the watch first listed the cluster.
 */
export type DriftHandler = (appSet: string, application: string, lane: "prompt" | "periodic") => Promise<void>;

interface WatchedObject {
  code?: number;
  metadata?: { labels?: Record<string, string>; managedFields?: ManagedFieldsEntry[]; resourceVersion?: string };
}

interface OpenWatch {
  kind: WatchedKind;
  controller: AbortController | undefined;
  closed: boolean;
  restart: NodeJS.Timeout | undefined;
  /** Where to resume: the last version seen (event or bookmark); undefined when the next open must re-list. */
  resourceVersion: string | undefined;
  /** When the stream last delivered something (an event, a bookmark) or opened; undefined before it first did. */
  deliveredAt: number | undefined;
  /** When the current request was answered. */
  connectedAt: number;
  /** Set by a re-list after a gap: every change after it was missed. Undefined for a cluster's first list. */
  gapSince: number | undefined;
}

const GONE = 410;
const MIN_LIFE_MS = 1_000;
// managedFields times have a resolution of one second.
const TIME_SLACK_MS = 1_000;

/**
 * Watches, on one cluster, only the kinds its Applications own and only objects carrying Flotilla's
 * Application label. A change by another field manager (or a deletion) names the Application to re-sync; the
 * re-sync itself decides, through a server-side dry-run, whether that is drift, so a false alarm costs one check.
 * A closed watch resumes from the last version it saw, so nothing is lost between two requests. When it cannot
 * (410 Gone: the version left the server's window) it re-lists, and each listed object someone else wrote during
 * the gap counts as changed. The first list of a cluster is not trusted either: an object someone else wrote
 * last may have been edited while no worker watched (a restart), so its Application is checked, behind real work.
 */
/** Where a cluster's watches are opened: its ResourceManager, whose discovery cache every verb shares. */
export type WatchSource = Pick<ResourceManager, "watch">;

/** What a cluster's drift watch is made of. */
export interface ClusterWatchDeps {
  cluster: string;
  source: WatchSource;
  /** The kinds the cluster's Applications own now. */
  kinds: () => Promise<WatchedKind[]>;
  onDrift: DriftHandler;
  log: Logger;
  /** @defaultValue `defaultClusterWatchOptions()` */
  options?: Partial<ClusterWatchOptions>;
  /** Told what the watches saw, so the re-sync and the health settler can rely on them. */
  knowledge?: WatchKnowledge;
}

export class ClusterWatch {
  readonly cluster: string;
  readonly #source: WatchSource;
  readonly #kinds: () => Promise<WatchedKind[]>;
  readonly #onDrift: DriftHandler;
  readonly #log: Logger;
  readonly #options: ClusterWatchOptions;
  readonly #watches = new Map<string, OpenWatch>();
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #knowledge: WatchKnowledge | undefined;
  #refresh: NodeJS.Timeout | undefined;
  /** The last refresh asked for, and one not yet begun (which a new ask joins). */
  #refreshed: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #unlisten: (() => void) | undefined;
  #running = false;
  #relists = 0;

  constructor(deps: ClusterWatchDeps) {
    this.cluster = deps.cluster;
    this.#source = deps.source;
    this.#kinds = deps.kinds;
    this.#onDrift = deps.onDrift;
    this.#log = deps.log.child({ cluster: deps.cluster, component: "drift-watch" });
    this.#options = { ...defaultClusterWatchOptions(), ...deps.options };
    this.#knowledge = deps.knowledge;
  }

  /**
   * Opens the watches for what is owned now. A kind a sync records for the first time is watched at once; the
   * refresh every `refreshMs` closes what nothing owns any more and catches what another process recorded.
   */
  async start(): Promise<void> {
    this.#running = true;
    this.#unlisten = this.#knowledge?.owned.listen(this.cluster, (kinds) => {
      if (kinds.some((kind) => !this.#watches.has(kindKey(kind)))) void this.refresh();
    });
    await this.refresh();
    this.#refresh = setInterval(() => void this.refresh(), this.#options.refreshMs);
    this.#refresh.unref();
  }

  /**
   * Opens watches for newly owned kinds and closes those no Application owns any more. One at a time, so an older
   * reading of the kinds never closes a watch a newer one opened.
   */
  refresh(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const next = this.#refreshed.then(() => {
      this.#queued = undefined;
      return this.#refreshNow();
    });
    this.#queued = next;
    this.#refreshed = next;
    return next;
  }

  async #refreshNow(): Promise<void> {
    if (!this.#running) return;
    let kinds: WatchedKind[];
    try {
      kinds = await this.#kinds();
    } catch (err) {
      this.#log.warn({ err }, "cannot list owned kinds; keeping the current watches");
      return;
    }
    const wanted = new Map(kinds.map((k) => [kindKey(k), k]));
    for (const [key, open] of this.#watches) {
      if (!wanted.has(key)) this.#close(key, open);
    }
    for (const [key, kind] of wanted) {
      if (this.#running && !this.#watches.has(key)) {
        const open: OpenWatch = {
          kind,
          controller: undefined,
          closed: false,
          restart: undefined,
          resourceVersion: undefined,
          deliveredAt: undefined,
          connectedAt: 0,
          gapSince: undefined,
        };
        this.#watches.set(key, open);
        await this.#open(open);
      }
    }
  }

  /** The kinds whose watch is established now, as "group/Kind". */
  watching(): string[] {
    return [...this.#watches.entries()]
      .filter(([, open]) => open.controller !== undefined)
      .map(([key]) => key)
      .sort();
  }

  /** How many times a watch had to re-list because its version left the server's window, for diagnostics. */
  relists(): number {
    return this.#relists;
  }

  stop(): void {
    this.#running = false;
    this.#unlisten?.();
    clearInterval(this.#refresh);
    for (const [key, open] of this.#watches) this.#close(key, open);
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#knowledge?.ledger.closed(this.cluster);
  }

  #close(key: string, open: OpenWatch): void {
    open.closed = true;
    clearTimeout(open.restart);
    open.controller?.abort();
    this.#watches.delete(key);
    this.#knowledge?.ledger.closed(this.cluster, key);
  }

  async #open(open: OpenWatch): Promise<void> {
    if (open.closed) return;
    const { kind } = open;
    const key = kindKey(kind);
    const resuming = open.resourceVersion !== undefined;
    try {
      const controller = await this.#source.watch(
        {
          apiVersion: kind.group === "" ? kind.version : `${kind.group}/${kind.version}`,
          kind: kind.kind,
          labelSelector: APPLICATION_LABEL,
          allowWatchBookmarks: true,
          timeoutSeconds: this.#options.timeoutSeconds,
          resourceVersion: open.resourceVersion,
        },
        (phase: string, object: unknown) => this.#onEvent(open, phase, object as WatchedObject),
        (err: unknown) => {
          open.controller = undefined;
          this.#reopen(open, err);
        },
      );
      if (open.closed) {
        controller.abort();
        return;
      }
      open.controller = controller;
      open.connectedAt = Date.now();
      open.deliveredAt = open.connectedAt;
      // The server answers once it has taken the list's snapshot: every change from now on is delivered.
      if (resuming) this.#knowledge?.ledger.resumed(this.cluster, key);
      else this.#knowledge?.ledger.connected(this.cluster, key, open.deliveredAt);
    } catch (err) {
      this.#reopen(open, err);
    }
  }

  #reopen(open: OpenWatch, err: unknown): void {
    if (open.closed || !this.#running) return;
    const key = kindKey(open.kind);
    this.#knowledge?.ledger.interrupted(this.cluster, key);
    if (statusCodeOf(err) === GONE) this.#mustRelist(open);
    if (err !== null && err !== undefined) this.#log.debug({ err, kind: key }, "watch closed; reopening");
    clearTimeout(open.restart);
    // The server ends every request after `timeoutSeconds`: such a watch comes back at once. One that failed, or
    // ended at once, waits, so that a failing server is not hammered.
    const clean = (err === null || err === undefined) && Date.now() - open.connectedAt >= MIN_LIFE_MS;
    open.restart = setTimeout(() => void this.#open(open), clean ? 0 : this.#options.restartDelayMs);
  }

  #mustRelist(open: OpenWatch): void {
    // One 410 may arrive twice (an ERROR event, then the request ending with it): one re-list.
    if (open.resourceVersion === undefined) return;
    open.resourceVersion = undefined;
    if (open.deliveredAt !== undefined) open.gapSince = open.deliveredAt;
    this.#relists++;
    this.#log.info({ kind: kindKey(open.kind) }, "watch version expired (410 Gone); re-listing");
  }

  #onEvent(open: OpenWatch, phase: string, object: WatchedObject): void {
    if (phase === "ERROR") {
      if (object.code === GONE) this.#mustRelist(open);
      return;
    }
    const version = object.metadata?.resourceVersion;
    if (version !== undefined) open.resourceVersion = version;
    open.deliveredAt = Date.now();
    if (phase === "BOOKMARK") return;
    const application = object.metadata?.labels?.[APPLICATION_LABEL];
    const appSet = object.metadata?.labels?.[APPSET_LABEL];
    if (application === undefined || appSet === undefined) return;
    const live = object as KubeObject;
    // A hook's Job is created, runs and is deleted by its policy on every new desired state: no drift, no health.
    if (isHook(live)) return;
    this.#knowledge?.settler.observe(
      this.cluster,
      appSet,
      application,
      phase === "DELETED" ? undefined : live,
      idOf(live),
    );
    const byOthers = this.#changedByOthers(open, phase, object);
    // An object turning unhealthy is not drift, but the next re-sync must look at the Application's health again.
    if (byOthers !== undefined || assessHealth(live).status !== "Healthy") {
      this.#knowledge?.ledger.changed(this.cluster, appSet, application, Date.now());
    }
    if (byOthers === undefined) return;
    const key = `${appSet}/${application}`;
    if (this.#pending.has(key)) return;
    this.#pending.set(
      key,
      setTimeout(() => {
        this.#pending.delete(key);
        if (byOthers === "edit") {
          this.#log.info(
            { appset: appSet, app: application, phase },
            "owned object changed by someone else; re-syncing",
          );
        } else {
          this.#log.debug({ appset: appSet, app: application }, "listed object last written by someone else; checking");
        }
        const lane = byOthers === "edit" ? "prompt" : "periodic";
        this.#onDrift(appSet, application, lane).catch((err: unknown) =>
          this.#log.warn({ err, appset: appSet, app: application }, "re-sync after a change failed to enqueue"),
        );
      }, this.#options.debounceMs),
    );
  }

  /**
   * `edit`: someone else changed the object while it was watched (or during a gap a re-list covers). `suspect`:
   * the first list found it last written by someone else, maybe while no worker watched (a restart); usually a
   * controller's harmless write, so it is checked behind real work rather than at once.
   */
  #changedByOthers(open: OpenWatch, phase: string, object: WatchedObject): "edit" | "suspect" | undefined {
    if (phase === "DELETED") return "edit";
    const at = changedByOthersAt(object.metadata?.managedFields, this.#options.fieldManager);
    if (at === undefined) return undefined;
    if (phase === "MODIFIED") return "edit";
    if (phase !== "ADDED") return undefined;
    // ADDED: an object listed by a re-list, of which only what someone else wrote during the gap is news; or one
    // listed when the watch first opened, or created since.
    if (open.gapSince !== undefined) return at < open.gapSince - TIME_SLACK_MS ? undefined : "edit";
    return "suspect";
  }
}

function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { statusCode?: unknown; code?: unknown }).statusCode ?? (err as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}
