/** Caps how many things run at once; used to bound the number of live git processes. */
export class Semaphore {
  readonly #waiting: Array<() => void> = [];
  #available: number;

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be >= 1, got ${permits}`);
    this.#available = permits;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#available > 0) {
      this.#available--;
    } else {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#available++;
    }
  }
}
