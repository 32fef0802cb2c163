import type { HealthReport } from "@flotilla/kube";
import type { Logger } from "pino";
import { type AppRef, fieldOf } from "../status/keys.ts";
import { withHealth } from "../status/settled-status.ts";
import type { StatusStore } from "../status/status-store.ts";
import type { AppStatus } from "../status/types.ts";

export interface SettleOptions {
  /** How long after its sync the worker re-reads a Progressing Application by itself, should no event come. */
  waitMs: number;
  /** Delay before the first of those re-reads; each next one waits twice as long. */
  pollMs: number;
}

/** Changes to one Application's objects within this window cause one re-read. */
const DEBOUNCE_MS = 200;

interface Tracked {
  ref: AppRef;
  /** The sync whose status this settles: a status written by a later sync is never touched. */
  lastSyncAt: string;
  read: () => Promise<HealthReport>;
  log: Logger;
  timer: NodeJS.Timeout | undefined;
  soon: NodeJS.Timeout | undefined;
  reading: boolean;
  again: boolean;
}

/**
 * Settles the health of Applications whose sync ended Progressing, outside any job: a sync reads health once and
 * hands the Application over here. The drift watches report every change of an owned object, status updates by
 * controllers included; each one re-reads that Application's health and stores it (health only: no sync, no
 * history). In case an event is missed, a few re-reads on a doubling delay follow the sync; past those, the
 * periodic re-sync (which never skips a Progressing Application) settles it.
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
      log,
      timer: undefined,
      soon: undefined,
      reading: false,
      again: false,
    };
    this.#tracked.set(key, tracked);
    this.#fallback(tracked, options.pollMs * 2, Date.now() + options.waitMs);
    if ((this.#changedAt.get(key) ?? Number.NEGATIVE_INFINITY) >= startedAt) this.#soon(tracked);
  }

  /** An object of the Application changed on the cluster (any field manager, status included). */
  observe(cluster: string, appSet: string, application: string): void {
    const key = keyOf({ cluster, appSet, application });
    this.#changedAt.set(key, Date.now());
    const tracked = this.#tracked.get(key);
    if (tracked !== undefined) this.#soon(tracked);
  }

  /** Applications being settled now, for tests and diagnostics. */
  settling(): AppRef[] {
    return [...this.#tracked.values()].map((t) => t.ref);
  }

  #soon(tracked: Tracked): void {
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
        const report = await tracked.read();
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

function keyOf(ref: AppRef): string {
  return `${ref.cluster}\u0000${fieldOf(ref)}`;
}

function sameHealth(status: AppStatus, report: HealthReport): boolean {
  return status.health === report.aggregate.status && status.healthMessage === report.aggregate.message;
}
