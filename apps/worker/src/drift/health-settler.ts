import {
  aggregateHealth,
  assessHealth,
  type HealthReport,
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

interface Tracked {
  ref: AppRef;
  /** The sync whose status this settles: a status written by a later sync is never touched. */
  lastSyncAt: string;
  read: () => Promise<HealthReport>;
  /** Each object's verdict as last known: from the sync's read, then from each watch event. */
  verdicts: Map<string, ObjectHealth>;
  /** The next re-assessment reads every object (an event said too little, or one may have been missed). */
  mustRead: boolean;
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
  // When each Application's objects last changed: an event during the sync means its single read may be stale.
  readonly #changedAt = new Map<string, number>();

  constructor(store: Pick<StatusStore, "updateHealth">) {
    this.#store = store;
  }

  /** A sync that started at `startedAt` wrote `status`; `read` reads its objects' health again. */
  syncEnded(
    ref: AppRef,
    startedAt: number,
    status: AppStatus,
    read: () => Promise<HealthReport>,
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
      log,
      timer: undefined,
      soon: undefined,
      reading: false,
      again: false,
    };
    this.#tracked.set(key, tracked);
    this.#fallback(tracked, options.pollMs * 4, Date.now() + options.waitMs);
    // An event during the sync may describe a state its single read did not see, or a later one: read again.
    if ((this.#changedAt.get(key) ?? Number.NEGATIVE_INFINITY) >= startedAt) this.#soon(tracked, true);
  }

  /**
   * An object of the Application changed on the cluster (any field manager, status included): `object` as the
   * event carries it, undefined when it was deleted.
   */
  observe(cluster: string, appSet: string, application: string, object: KubeObject | undefined, id: string): void {
    const key = keyOf({ cluster, appSet, application });
    this.#changedAt.set(key, Date.now());
    const tracked = this.#tracked.get(key);
    if (tracked === undefined) return;
    const known = tracked.verdicts.get(id);
    if (known === undefined) {
      // Not one of the objects the sync applied (an older one being pruned, say): only a full read tells.
      this.#soon(tracked, true);
      return;
    }
    tracked.verdicts.set(id, { ...known, verdict: assessHealth(object) });
    const next = aggregateHealth([...tracked.verdicts.values()]).status;
    // Still rolling out: the stored words (with the Pods' reasons the sync's read found) stand. Healthy is stored
    // from the events alone; anything worse is read in full, Pods included, to say why.
    if (next !== "Progressing") this.#soon(tracked, next !== "Healthy");
  }

  /** Applications being settled now, for tests and diagnostics. */
  settling(): AppRef[] {
    return [...this.#tracked.values()].map((t) => t.ref);
  }

  #soon(tracked: Tracked, mustRead: boolean): void {
    tracked.mustRead ||= mustRead;
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
        const report = tracked.mustRead ? await tracked.read() : reportOf(tracked.verdicts);
        tracked.mustRead = false;
        const key = keyOf(tracked.ref);
        if (this.#tracked.get(key) !== tracked) return;
        for (const object of report.objects) tracked.verdicts.set(object.id, object);
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
