import type { Logger } from "pino";
import type { Fence } from "./fence.ts";
import { fenceOf, type Lease, type LeaseGrant } from "./lease.ts";

export type LeaseLossReason = "taken" | "expired" | "unreachable" | "stopped";

export interface LeaseKeeperOptions {
  /** How often a holder renews. @defaultValue lease TTL / 3 */
  renewIntervalMs?: number;
  /** How often a non-holder tries to take the lease. @defaultValue lease TTL / 3 */
  campaignIntervalMs?: number;
  /** Called when this replica becomes the holder; `signal` aborts the moment the term ends. */
  onAcquired?: (grant: LeaseGrant, signal: AbortSignal) => void;
  /** Called the moment the term ends, for whatever reason. */
  onLost?: (grant: LeaseGrant, reason: LeaseLossReason) => void;
  log?: Logger;
}

interface Term {
  grant: LeaseGrant;
  controller: AbortController;
  expiry: NodeJS.Timeout;
}

/**
 * Keeps a lease in the background: campaigns while not holding it, renews while holding it, and ends the term
 * (abort signal + `onLost`) as soon as holding can no longer be proven: a failed renewal, an unreachable Redis, or
 * the local deadline passing (a timer, so a renewal stuck in flight cannot keep a term alive). Writes should still
 * carry `fence()`: a process frozen between the check and the write is only stopped by the fence.
 */
export class LeaseKeeper {
  readonly #lease: Lease;
  readonly #renewEvery: number;
  readonly #campaignEvery: number;
  readonly #options: LeaseKeeperOptions;
  #term: Term | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  // Whether the last exchange with Redis told us who holds the lease (us or another replica).
  #known = false;
  #tick: Promise<void> = Promise.resolve();

  constructor(lease: Lease, options: LeaseKeeperOptions = {}) {
    this.#lease = lease;
    this.#renewEvery = options.renewIntervalMs ?? Math.floor(lease.ttlMs / 3);
    this.#campaignEvery = options.campaignIntervalMs ?? Math.floor(lease.ttlMs / 3);
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** The current grant while this replica holds the lease. */
  current(): LeaseGrant | undefined {
    return this.#term?.grant;
  }

  /**
   * Whether this replica knows if it holds the lease: its last campaign or renewal got an answer from Redis.
   * False before the first answer and while Redis is unreachable; readiness probes report it.
   */
  stateKnown(): boolean {
    return this.#known;
  }

  isHolder(): boolean {
    return this.#term !== undefined && this.#lease.now() < this.#term.grant.deadline;
  }

  /** The fence to pass with writes, undefined when not the holder. */
  fence(): Fence | undefined {
    return this.isHolder() ? fenceOf(this.#term!.grant) : undefined;
  }

  /** Aborts when the current term ends; an already-aborted signal when not holding. */
  signal(): AbortSignal {
    return this.#term?.controller.signal ?? AbortSignal.abort("not the lease holder");
  }

  /** Stops campaigning and releases the lease so that another replica takes over without waiting for the TTL. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#tick;
    const term = this.#term;
    if (term === undefined) return;
    this.#end("stopped");
    try {
      await this.#lease.release(term.grant);
    } catch (err) {
      this.#options.log?.warn({ err, lease: this.#lease.name }, "lease release failed; it will expire on its own");
    }
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#step().finally(() =>
        this.#schedule(this.#term === undefined ? this.#campaignEvery : this.#renewEvery),
      );
    }, ms);
  }

  async #step(): Promise<void> {
    const term = this.#term;
    const log = this.#options.log;
    if (term === undefined) {
      try {
        const grant = await this.#lease.acquire();
        this.#known = true;
        if (grant !== undefined && this.#running) this.#begin(grant);
        else if (grant !== undefined) await this.#lease.release(grant);
      } catch (err) {
        this.#known = false;
        log?.warn({ err, lease: this.#lease.name }, "lease campaign failed");
      }
      return;
    }
    if (this.#lease.now() >= term.grant.deadline) return this.#end("expired");
    try {
      const renewed = await this.#lease.renew(term.grant);
      this.#known = true;
      if (this.#term !== term) return;
      if (renewed === undefined) return this.#end("taken");
      term.grant = renewed;
      this.#armExpiry(term);
    } catch (err) {
      this.#known = false;
      log?.warn({ err, lease: this.#lease.name }, "lease renewal failed");
      if (this.#term === term && this.#lease.now() >= term.grant.deadline - this.#renewEvery) this.#end("unreachable");
    }
  }

  #begin(grant: LeaseGrant): void {
    const term: Term = { grant, controller: new AbortController(), expiry: setTimeout(() => {}, 0) };
    this.#term = term;
    this.#armExpiry(term);
    this.#options.log?.info({ lease: grant.lease, fence: grant.fence }, "lease acquired");
    this.#options.onAcquired?.(grant, term.controller.signal);
  }

  #armExpiry(term: Term): void {
    clearTimeout(term.expiry);
    const ms = Math.max(0, term.grant.deadline - this.#lease.now());
    term.expiry = setTimeout(() => {
      if (this.#term === term) this.#end("expired");
    }, ms);
  }

  #end(reason: LeaseLossReason): void {
    const term = this.#term;
    if (term === undefined) return;
    this.#term = undefined;
    clearTimeout(term.expiry);
    term.controller.abort(new Error(`lease ${term.grant.lease} lost: ${reason}`));
    this.#options.log?.warn({ lease: term.grant.lease, fence: term.grant.fence, reason }, "lease lost");
    this.#options.onLost?.(term.grant, reason);
  }
}
