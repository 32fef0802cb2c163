/** What a cycle must cover: everything, or only some ApplicationSets (a cluster change). */
export type Scope = { kind: "all" } | { kind: "some"; appSets: Set<string> };

export interface LoopOptions {
  intervalMs: number;
  run: (scope: Scope, reasons: readonly string[]) => Promise<void>;
  onError: (err: unknown) => void;
  /**
   * Short work between cycles (the rollout controller), every `intervalMs`, never during a cycle: both write the
   * same state, so one runs at a time. A tick due during a cycle is skipped; the next one comes soon.
   */
  tick?: { intervalMs: number; run: () => Promise<void> };
}

/**
 * Runs generation cycles one at a time: on a timer, and at once when triggered. Triggers that arrive while a
 * cycle runs coalesce into a single follow-up cycle covering all of them, so a burst of webhooks or cluster
 * events costs at most one extra cycle.
 */
export class GenerationLoop {
  readonly #options: LoopOptions;
  #pending: { scope: Scope; reasons: string[] } | undefined;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: LoopOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.trigger("startup");
    const tick = this.#options.tick;
    if (tick !== undefined) {
      clearInterval(this.#ticker);
      this.#ticker = setInterval(() => this.#tick(tick.run), tick.intervalMs);
    }
  }

  #tick(run: () => Promise<void>): void {
    if (this.#stopped || this.#running !== undefined) return;
    this.#running = (async () => {
      try {
        await run();
      } catch (err) {
        this.#options.onError(err);
      }
      this.#running = undefined;
      // A trigger that arrived during the tick waits for it, then runs.
      if (this.#pending !== undefined && !this.#stopped) this.#running = this.#drain();
    })();
  }

  trigger(reason: string, appSets?: Iterable<string>): void {
    if (this.#stopped) return;
    const scope: Scope = appSets === undefined ? { kind: "all" } : { kind: "some", appSets: new Set(appSets) };
    this.#pending = this.#pending
      ? { scope: mergeScopes(this.#pending.scope, scope), reasons: [...this.#pending.reasons, reason] }
      : { scope, reasons: [reason] };
    if (this.#running === undefined) this.#running = this.#drain();
  }

  /** Stops the timer and waits for the cycle in progress; pending triggers are dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = undefined;
    clearTimeout(this.#timer);
    clearInterval(this.#ticker);
    await this.#running;
  }

  async #drain(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#pending !== undefined && !this.#stopped) {
      const { scope, reasons } = this.#pending;
      this.#pending = undefined;
      try {
        await this.#options.run(scope, reasons);
      } catch (err) {
        this.#options.onError(err);
      }
    }
    this.#running = undefined;
    if (!this.#stopped) this.#timer = setTimeout(() => this.trigger("poll"), this.#options.intervalMs);
  }
}

export function mergeScopes(a: Scope, b: Scope): Scope {
  if (a.kind === "all" || b.kind === "all") return { kind: "all" };
  return { kind: "some", appSets: new Set([...a.appSets, ...b.appSets]) };
}
