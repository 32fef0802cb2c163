import { APPLICATION_LABEL, APPSET_LABEL } from "@flotilla/kube";
import { CoreV1Api, CustomObjectsApi, KubeConfig, type V1APIResourceList, Watch } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { changedByOthers, type ManagedFieldsEntry } from "./changed-by-others.ts";
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
}

export function defaultClusterWatchOptions(): ClusterWatchOptions {
  return { refreshMs: 10_000, restartDelayMs: 2_000, debounceMs: 500, fieldManager: "flotilla" };
}

/** Called when an Application's object was changed or deleted by someone else. */
export type DriftHandler = (appSet: string, application: string) => Promise<void>;

interface WatchedObject {
  metadata?: { labels?: Record<string, string>; managedFields?: ManagedFieldsEntry[] };
}

interface OpenWatch {
  kind: WatchedKind;
  controller: AbortController | undefined;
  closed: boolean;
  restart: NodeJS.Timeout | undefined;
}

/**
 * Watches, on one cluster, only the kinds its Applications own and only objects carrying Flotilla's
 * Application label. A change by another field manager (or a deletion) names the Application to re-sync; the
 * re-sync itself decides, through a server-side dry-run, whether that is drift, so a false alarm costs one check.
 * The initial ADDED events of each (re)opened watch are ignored: a change made while a watch was down is caught
 * by the periodic full re-sync.
 */
export class ClusterWatch {
  readonly cluster: string;
  readonly #kubeConfig: KubeConfig;
  readonly #kinds: () => Promise<WatchedKind[]>;
  readonly #onDrift: DriftHandler;
  readonly #log: Logger;
  readonly #options: ClusterWatchOptions;
  readonly #watches = new Map<string, OpenWatch>();
  readonly #pending = new Map<string, NodeJS.Timeout>();
  #refresh: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    cluster: string,
    kubeconfig: string,
    kinds: () => Promise<WatchedKind[]>,
    onDrift: DriftHandler,
    log: Logger,
    options: Partial<ClusterWatchOptions> = {},
  ) {
    this.cluster = cluster;
    this.#kubeConfig = new KubeConfig();
    this.#kubeConfig.loadFromString(kubeconfig);
    this.#kinds = kinds;
    this.#onDrift = onDrift;
    this.#log = log.child({ cluster, component: "drift-watch" });
    this.#options = { ...defaultClusterWatchOptions(), ...options };
  }

  /** Opens the watches for what is owned now; later kinds are picked up every `refreshMs`. */
  async start(): Promise<void> {
    this.#running = true;
    await this.refresh();
    this.#refresh = setInterval(() => void this.refresh(), this.#options.refreshMs);
    this.#refresh.unref();
  }

  /** Opens watches for newly owned kinds and closes those no Application owns any more. */
  async refresh(): Promise<void> {
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
        const open: OpenWatch = { kind, controller: undefined, closed: false, restart: undefined };
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

  stop(): void {
    this.#running = false;
    clearInterval(this.#refresh);
    for (const [key, open] of this.#watches) this.#close(key, open);
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #close(key: string, open: OpenWatch): void {
    open.closed = true;
    clearTimeout(open.restart);
    open.controller?.abort();
    this.#watches.delete(key);
  }

  async #open(open: OpenWatch): Promise<void> {
    if (open.closed) return;
    const { kind } = open;
    try {
      const path = await this.#pathOf(kind);
      open.controller = await new Watch(this.#kubeConfig).watch(
        path,
        { labelSelector: APPLICATION_LABEL, allowWatchBookmarks: true },
        (phase: string, object: WatchedObject) => this.#onEvent(phase, object),
        (err: unknown) => {
          open.controller = undefined;
          this.#reopen(open, err);
        },
      );
    } catch (err) {
      this.#reopen(open, err);
    }
  }

  #reopen(open: OpenWatch, err: unknown): void {
    if (open.closed || !this.#running) return;
    if (err !== null && err !== undefined)
      this.#log.debug({ err, kind: kindKey(open.kind) }, "watch closed; reopening");
    clearTimeout(open.restart);
    open.restart = setTimeout(() => void this.#open(open), this.#options.restartDelayMs);
  }

  #onEvent(phase: string, object: WatchedObject): void {
    if (phase !== "MODIFIED" && phase !== "DELETED") return;
    if (phase === "MODIFIED" && !changedByOthers(object.metadata?.managedFields, this.#options.fieldManager)) return;
    const application = object.metadata?.labels?.[APPLICATION_LABEL];
    const appSet = object.metadata?.labels?.[APPSET_LABEL];
    if (application === undefined || appSet === undefined) return;
    const key = `${appSet}/${application}`;
    if (this.#pending.has(key)) return;
    this.#pending.set(
      key,
      setTimeout(() => {
        this.#pending.delete(key);
        this.#log.info({ appSet, application, phase }, "owned object changed by someone else; re-syncing");
        this.#onDrift(appSet, application).catch((err: unknown) =>
          this.#log.warn({ err, appSet, application }, "re-sync after a change failed to enqueue"),
        );
      }, this.#options.debounceMs),
    );
  }

  async #pathOf(kind: WatchedKind): Promise<string> {
    const list: V1APIResourceList =
      kind.group === ""
        ? await this.#kubeConfig.makeApiClient(CoreV1Api).getAPIResources()
        : await this.#kubeConfig
            .makeApiClient(CustomObjectsApi)
            .getAPIResources({ group: kind.group, version: kind.version });
    const resource = list.resources.find((r) => r.kind === kind.kind && !r.name.includes("/"));
    if (resource === undefined) throw new Error(`${kindKey(kind)} is not served at ${kind.version}`);
    const base = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
    return `${base}/${resource.name}`;
  }
}
