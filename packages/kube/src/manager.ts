import type { KubeConfig } from "@kubernetes/client-node";
import { type ApplyOptions, type ApplyRequest, applyAll, defaultApplyOptions } from "./apply.ts";
import type { ChangeSet } from "./changeset.ts";
import { checkHealth, type HealthReport } from "./check-health.ts";
import { ClusterClient } from "./client.ts";
import { type DeleteOptions, defaultDeleteOptions, deleteAll } from "./delete.ts";
import { type DiffOptions, type DriftEntry, defaultDiffOptions, diffAll } from "./diff.ts";
import type { Inventory, InventoryEntry } from "./inventory.ts";
import { loadKubeconfig } from "./kubeconfig.ts";
import type { KubeObject } from "./object.ts";
import { type ReachabilityObserver, Transport } from "./transport.ts";
import { type WatchDoneHandler, type WatchEventHandler, Watcher, type WatchRequest } from "./watch.ts";

export interface ManagerOptions {
  /**
   * Per-request deadline; an unreachable cluster fails within it instead of hanging a sync.
   * @defaultValue 30_000
   */
  requestTimeoutMs?: number;
  /** Defaults for every apply made through this manager, over `defaultApplyOptions()`. */
  apply?: Partial<ApplyOptions>;
  /** Told after each request whether the cluster answered. @defaultValue nobody */
  observeReachability?: ReachabilityObserver;
}

/** Everything `apply` needs: who applies, plus any per-call override of the manager's apply options. */
export type ApplyCall = ApplyRequest & Partial<ApplyOptions>;

/** Everything `prune` needs: whose objects (the Application, and the ApplicationSets it may belong to), plus overrides. */
export type PruneCall = { application: string; appSets?: readonly string[] } & Partial<DeleteOptions>;

/** One cluster's resource manager: the verbs a sync needs, all under Flotilla's field manager. */
export class ResourceManager {
  readonly #client: ClusterClient;
  readonly #applyDefaults: ApplyOptions;
  readonly #watcher: Watcher;

  constructor(kubeConfig: KubeConfig, options: ManagerOptions = {}) {
    this.#client = new ClusterClient(
      new Transport(kubeConfig, options.requestTimeoutMs ?? 30_000, options.observeReachability),
    );
    this.#applyDefaults = { ...defaultApplyOptions(), ...options.apply };
    this.#watcher = new Watcher(this.#client.transport.authentication, this.#client.discovery);
  }

  /** A manager for the cluster a kubeconfig (YAML text) points at through its current context. */
  static fromKubeconfig(kubeconfig: string, options: ManagerOptions = {}): ResourceManager {
    const kubeConfig = loadKubeconfig(kubeconfig);
    return new ResourceManager(kubeConfig, options);
  }

  get server(): string {
    return this.#client.transport.server;
  }

  /** The API server's version (`/version`): the cheapest request that proves the cluster answers these credentials. */
  async version(): Promise<{ gitVersion: string }> {
    return this.#client.transport.request<{ gitVersion: string }>({ method: "GET", path: "/version" });
  }

  /** Server-side applies the set, stamped with its owner; per-object failures are on their entries. */
  async apply(objects: readonly KubeObject[], call: ApplyCall): Promise<ChangeSet> {
    const { application, appSet, commit, namespace, ...overrides } = call;
    const request: ApplyRequest = { application, commit };
    if (appSet !== undefined) request.appSet = appSet;
    if (namespace !== undefined) request.namespace = namespace;
    return applyAll(this.#client, objects, request, { ...this.#applyDefaults, ...overrides });
  }

  /**
   * Deletes what left Git: the stale inventory entries, re-read first, and only those labelled as the
   * Application's and not preserved.
   */
  async prune(stale: Inventory | readonly InventoryEntry[], call: PruneCall): Promise<ChangeSet> {
    const entries = Array.isArray(stale) ? (stale as readonly InventoryEntry[]) : (stale as Inventory).entries;
    return deleteAll(this.#client, entries, { ...defaultDeleteOptions(call.application), ...call });
  }

  /** The Application itself is gone: its whole inventory goes, under the same rules as pruning. */
  async deleteApplication(inventory: Inventory, call: PruneCall): Promise<ChangeSet> {
    return this.prune(inventory.entries, call);
  }

  /** Per-object health of the set as it is on the cluster, and the aggregate. */
  async health(objects: readonly KubeObject[], options: { namespace?: string } = {}): Promise<HealthReport> {
    return checkHealth(this.#client, objects, { ...options, concurrency: this.#applyDefaults.concurrency });
  }

  /**
   * Watches one kind across the cluster, found through the same discovery cache as every other verb; resolves
   * once the server answered. Abort the controller to end the watch.
   */
  async watch(request: WatchRequest, onEvent: WatchEventHandler, onDone: WatchDoneHandler): Promise<AbortController> {
    return this.#watcher.watch(request, onEvent, onDone);
  }

  /** Drift of each object: what a server-side dry-run apply would change on the live object. */
  async diff(objects: readonly KubeObject[], call: ApplyRequest & Partial<DiffOptions>): Promise<DriftEntry[]> {
    const { application, appSet, commit, namespace, ...overrides } = call;
    const request: ApplyRequest = { application, commit };
    if (appSet !== undefined) request.appSet = appSet;
    if (namespace !== undefined) request.namespace = namespace;
    const defaults = defaultDiffOptions();
    return diffAll(this.#client, objects, request, {
      ...defaults,
      fieldManager: this.#applyDefaults.fieldManager,
      force: this.#applyDefaults.force,
      concurrency: this.#applyDefaults.concurrency,
      ...overrides,
    });
  }
}
