/** The most clusters one worker should hold: an even split, rounded up so every cluster has room. */
export function fairShare(clusters: number, liveWorkers: number): number {
  return Math.ceil(clusters / Math.max(1, liveWorkers));
}

export interface BalanceInput {
  /** Clusters a pool worker can serve (pool mode, with credentials). */
  candidates: readonly string[];
  /** Clusters this worker holds now. */
  held: readonly string[];
  liveWorkers: number;
}

export interface BalancePlan {
  /** Held clusters to hand over: gone from the registry, or beyond this worker's share. */
  release: string[];
  /** Unheld candidates to try, in order, until the share is reached (others may hold them). */
  tryAcquire: string[];
  /** How many more this worker may take. */
  room: number;
}

/**
 * One rebalancing step of one worker, decided on its own: each keeps at most its fair share, so when a worker
 * joins the others shed clusters and it picks them up; when one leaves, its leases free and the rest take them.
 * The newest clusters by name are released first, so the choice is stable from one step to the next.
 */
export function planBalance(input: BalanceInput): BalancePlan {
  const candidates = new Set(input.candidates);
  const share = fairShare(input.candidates.length, input.liveWorkers);
  const gone = input.held.filter((c) => !candidates.has(c));
  const kept = input.held.filter((c) => candidates.has(c)).sort();
  const excess = kept.slice(share);
  const held = new Set(input.held);
  return {
    release: [...gone, ...excess],
    tryAcquire: [...candidates].filter((c) => !held.has(c)).sort(),
    room: Math.max(0, share - (kept.length - excess.length)),
  };
}
