/**
 * Milliseconds spent in each step of one generation or one sync, for its log line: where a slow push or a slow
 * sync spends its time is then read from the logs, not guessed (the benchmarks report them).
 */
export class PhaseClock {
  readonly laps: Record<string, number> = {};
  #last = performance.now();

  /** Ends the step in progress under `phase` (added up when a phase comes twice). */
  lap(phase: string): void {
    const now = performance.now();
    this.laps[phase] = Math.round(((this.laps[phase] ?? 0) + now - this.#last) * 10) / 10;
    this.#last = now;
  }
}
