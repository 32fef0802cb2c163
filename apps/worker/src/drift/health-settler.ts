import {
  aggregateHealth,
  assessHealth,
  compareResourceVersions,
  type HealthReport,
  type HealthVerdict,
  type KubeObject,
  type ObjectHealth,
  parseId,
  subjectOf,
} from "@flotilla/kube";
import type { AppStatus, StatusStore } from "@flotilla/status";
import { type AppRef, fieldOf } from "@flotilla/status";
import type { Logger } from "pino";
import { withHealth } from "../status/settled-status.ts";

export interface SettleOptions {
  /** How long after its sync the worker re-reads a Progressing Application by itself, should no event come. */
  waitMs: number;
  /** The first of those re-reads comes 4 × this after the sync (events usually settle it sooner), each next one twice as late. */
  pollMs: number;
}

/** Changes to one Application's objects within this window cause one re-read. */
const DEBOUNCE_MS = 200;
/**
 * How long what the watches said of an Application's objects is kept for a sync still running: a sync that began
 * longer ago than this is read again in full when it ends, as every sync was before events were kept.
 */
const RECALL_MS = 120_000;

/** What the last watch event of one object said. */
interface Seen {
  at: number;
  resourceVersion: string | undefined;
  verdict: HealthVerdict;
}

interface Tracked {
  ref: AppRef;
  /** The sync whose status this settles: a status written by a later sync is never touched. */
  lastSyncAt: string;
  read: ReadHealth;
  /** Each object's verdict as last known: from the sync's read, then from each watch event. */
  verdicts: Map<string, ObjectHealth>;
  /** The next re-assessment reads objects (one may have been missed): those not Healthy, or all with `readAll`. */
  mustRead: boolean;
  /** An event said too little (an object the sync did not apply, a deletion): every object is read. */
  readAll: boolean;
  log: Logger;
  timer: NodeJS.Timeout | undefined;
  soon: NodeJS.Timeout | undefined;
  reading: boolean;
  again: boolean;
}

/**
 * Settles the health of Applications whose sync ended Progressing, outside any job: a sync reads health once and
 * hands the Application over here. The drift watches report every change of an owned object, status updates by
 * controllers included; the object in the event is judged as it is, the Application's health recomputed from its
 * objects' latest verdicts and stored (health only: no sync, no history), without reading the cluster. In case an
 * event is missed, a few full re-reads on a doubling delay follow the sync; past those, the periodic re-sync (which
 * never skips a Progressing Application) settles it.
 */
export class HealthSettler {
  readonly #store: Pick<StatusStore, "updateHealth">;
  readonly #tracked = new Map<string, Tracked>();
  // The last event of each object of each Application that changed within RECALL_MS, the least recently changed
  // Application first: an event during a sync may describe a state newer than the one the sync judged.
  readonly #recent = new Map<string, { at: number; objects: Map<string, Seen> }>();

  constructor(store: Pick<StatusStore, "updateHealth">) {
    this.#store = store;
  }

  /**
   * A sync that started at `startedAt` wrote `status` from `health` (whose objects carry the resourceVersions
   * judged); `read` reads its objects' health again.
   */
  syncEnded(
    ref: AppRef,
    startedAt: number,
    status: AppStatus,
    health: HealthReport,
    read: ReadHealth,
    log: Logger,
    options: SettleOptions,
  ): void {
    const key = keyOf(ref);
    const previous = this.#tracked.get(key);
    if (previous !== undefined) this.#untrack(key, previous);
    if (status.health !== "Progressing") return;
    const tracked: Tracked = {
      ref,
      lastSyncAt: status.lastSyncAt,
      read,
      verdicts: verdictsOf(status),
      mustRead: false,
      readAll: false,
      log,
      timer: undefined,
      soon: undefined,
      reading: false,
      again: false,
    };
    this.#tracked.set(key, tracked);
    this.#fallback(tracked, options.pollMs * 4, Date.now() + options.waitMs);
    this.#catchUp(tracked, key, startedAt, health);
  }

  /**
   * Events that came while the sync ran: an object's event of a later resourceVersion than the one the sync judged
   * is its newer state, one of the same or an earlier is the sync's own apply or older; an event that cannot be
   * placed (a deletion, an object the sync did not apply, an API server without ordered versions) needs a read.
   */
  #catchUp(tracked: Tracked, key: string, startedAt: number, health: HealthReport): void {
    const events = this.#recent.get(key)?.objects;
    if (events === undefined) return;
    if (startedAt < Date.now() - RECALL_MS) {
      this.#soon(tracked, true);
      return;
    }
    const judged = new Map(health.objects.map((o) => [o.id, o.resourceVersion]));
    let changed = false;
    for (const [id, seen] of events) {
      if (seen.at < startedAt) continue;
      const known = tracked.verdicts.get(id);
      const order = compareResourceVersions(seen.resourceVersion, judged.get(id));
      if (known === undefined || order === undefined) {
        this.#soon(tracked, true);
        return;
      }
      if (order <= 0) continue;
      tracked.verdicts.set(id, { ...known, verdict: seen.verdict });
      changed = true;
    }
    if (changed) this.#reassess(tracked);
  }

  /**
   * An object of the Application changed on the cluster (any field manager, status included): `object` as the
   * event carries it, undefined when it was deleted.
   */
  observe(cluster: string, appSet: string, application: string, object: KubeObject | undefined, id: string): void {
    const key = keyOf({ cluster, appSet, application });
    const verdict = assessHealth(object);
    this.#remember(key, id, { at: Date.now(), resourceVersion: object?.metadata?.resourceVersion, verdict });
    const tracked = this.#tracked.get(key);
    if (tracked === undefined) return;
    const known = tracked.verdicts.get(id);
    if (known === undefined) {
      // Not one of the objects the sync applied (an older one being pruned, say): only a full read tells.
      this.#soon(tracked, true);
      return;
    }
    tracked.verdicts.set(id, { ...known, verdict });
    this.#reassess(tracked);
  }

  #reassess(tracked: Tracked): void {
    const next = aggregateHealth([...tracked.verdicts.values()]).status;
    // Still rolling out: the stored words (with the Pods' reasons the sync's read found) stand. Healthy is stored
    // from the events alone; anything worse is read in full, Pods included, to say why.
    if (next !== "Progressing") this.#soon(tracked, next !== "Healthy");
  }

  #remember(key: string, id: string, seen: Seen): void {
    const objects = this.#recent.get(key)?.objects ?? new Map<string, Seen>();
    objects.set(id, seen);
    // Re-inserted so that the map stays ordered by last change, and what is past recall is dropped from its head.
    this.#recent.delete(key);
    this.#recent.set(key, { at: seen.at, objects });
    for (const [oldest, { at }] of this.#recent) {
      if (at >= seen.at - RECALL_MS) break;
      this.#recent.delete(oldest);
    }
  }

  /** Applications being settled now, for tests and diagnostics. */
  settling(): AppRef[] {
    return [...this.#tracked.values()].map((t) => t.ref);
  }

  #soon(tracked: Tracked, readAll: boolean): void {
    tracked.mustRead ||= readAll;
    tracked.readAll ||= readAll;
    if (tracked.soon !== undefined) return;
    tracked.soon = setTimeout(() => {
      tracked.soon = undefined;
      void this.#reread(tracked);
    }, DEBOUNCE_MS);
    tracked.soon.unref();
  }

  #fallback(tracked: Tracked, delayMs: number, deadline: number): void {
    if (delayMs <= 0 || Date.now() + delayMs > deadline) return;
    tracked.timer = setTimeout(() => {
      tracked.mustRead = true;
      void this.#reread(tracked).then(() => {
        if (this.#tracked.get(keyOf(tracked.ref)) === tracked) this.#fallback(tracked, delayMs * 2, deadline);
      });
    }, delayMs);
    tracked.timer.unref();
  }

  async #reread(tracked: Tracked): Promise<void> {
    if (tracked.reading) {
      tracked.again = true;
      return;
    }
    tracked.reading = true;
    try {
      do {
        tracked.again = false;
        const report = tracked.mustRead ? await readAgain(tracked) : reportOf(tracked.verdicts);
        const key = keyOf(tracked.ref);
        if (this.#tracked.get(key) !== tracked) return;
        let newer = false;
        const written = await this.#store.updateHealth(tracked.ref, (current) => {
          newer = current.lastSyncAt !== tracked.lastSyncAt;
          if (newer || sameHealth(current, report)) return undefined;
          return withHealth(current, report);
        });
        if (written !== undefined) tracked.log.info({ health: written.health }, "health settled after the sync");
        if (newer || report.aggregate.status !== "Progressing") {
          this.#untrack(key, tracked);
          return;
        }
      } while (tracked.again);
    } catch (err) {
      // The next event, re-read or periodic re-sync tries again.
      tracked.log.debug({ err }, "health re-read failed");
    } finally {
      tracked.reading = false;
    }
  }

  #untrack(key: string, tracked: Tracked): void {
    clearTimeout(tracked.timer);
    clearTimeout(tracked.soon);
    if (this.#tracked.get(key) === tracked) this.#tracked.delete(key);
  }
}

/**
 * Reads an Application's objects again: only those `only` names (by id) when given, else all of them. The report
 * covers the objects read.
 */
export type ReadHealth = (only?: ReadonlySet<string>) => Promise<HealthReport>;

/**
 * A fallback re-read asks the cluster only for the objects not yet Healthy: the others' events would have said
 * if they changed (a Deployment's roll-out is what is waited for; its ConfigMap and Service need no second
 * look). After an event that said too little, every object is read. The verdicts take in what was read.
 */
async function readAgain(tracked: Tracked): Promise<HealthReport> {
  const unsettled = tracked.readAll
    ? undefined
    : new Set([...tracked.verdicts.values()].filter((o) => o.verdict.status !== "Healthy").map((o) => o.id));
  tracked.mustRead = false;
  tracked.readAll = false;
  const report = await tracked.read(unsettled);
  for (const object of report.objects) tracked.verdicts.set(object.id, object);
  return unsettled === undefined ? report : reportOf(tracked.verdicts);
}

/** What the sync's status says of each object it applied. */
function verdictsOf(status: AppStatus): Map<string, ObjectHealth> {
  const verdicts = new Map<string, ObjectHealth>();
  for (const r of status.resources) {
    if (r.action === "stale" || r.action === "deleted") continue;
    const verdict = { status: r.health, message: r.message ?? "" };
    verdicts.set(r.id, { id: r.id, subject: subjectOf(parseId(r.id)), verdict });
  }
  return verdicts;
}

function reportOf(verdicts: ReadonlyMap<string, ObjectHealth>): HealthReport {
  const objects = [...verdicts.values()];
  return { objects, aggregate: aggregateHealth(objects) };
}

function keyOf(ref: AppRef): string {
  return `${ref.cluster}\u0000${fieldOf(ref)}`;
}

function sameHealth(status: AppStatus, report: HealthReport): boolean {
  return status.health === report.aggregate.status && status.healthMessage === report.aggregate.message;
}
