export interface ScrapeCacheOptions {
  /** How long one read answers later scrapes. @defaultValue 5000 */
  ttlMs?: number;
  /** @defaultValue `Date.now` */
  now?: () => number;
}

/**
 * Scrapes from several Prometheus replicas (or a scrape and a person's curl) a moment apart share one read of
 * Redis. A read that fails is not kept: the next scrape tries again.
 */
export function scrapeCache<T>(read: () => Promise<T>, options: ScrapeCacheOptions = {}): () => Promise<T> {
  const ttlMs = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  let kept: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (kept !== undefined && now() - kept.at < ttlMs) return kept.value;
    const value = read();
    const entry = { at: now(), value };
    kept = entry;
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return value;
  };
}
