/** The most clusters one worker should hold: an even split, rounded up so every cluster has room. */
export function fairShare(clusters: number, liveWorkers: number): number {
  return Math.ceil(clusters / Math.max(1, liveWorkers));
}

/** One live pool worker and the clusters it holds. */
export interface WorkerHoldings {
  id: string;
  held: readonly string[];
}

/**
 * The fair split of `candidates` over `workers`: each gets floor(n/w) or ceil(n/w) clusters. The larger shares go
 * to the workers that hold the most, and each keeps as many of the clusters it holds as its share allows, so a
 * worker joining or leaving moves no more clusters than fairness requires. Only the inputs' contents count, not
 * their order, so every worker that sees the same membership computes the same split.
 */
export function assignClusters(
  candidates: readonly string[],
  workers: readonly WorkerHoldings[],
): Map<string, string[]> {
  const heldBy = new Map<string, string[]>();
  for (const worker of workers) heldBy.set(worker.id, [...(heldBy.get(worker.id) ?? []), ...worker.held]);
  const ids = [...heldBy.keys()].sort();
  const split = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return split;

  const unclaimed = new Set(candidates);
  const claimed = new Map<string, string[]>();
  // Two workers claiming one cluster means one report is stale: the first by id keeps it, on every worker alike.
  for (const id of ids) {
    const mine = [...new Set(heldBy.get(id))].filter((c) => unclaimed.has(c)).sort();
    for (const c of mine) unclaimed.delete(c);
    claimed.set(id, mine);
  }

  const total = new Set(candidates).size;
  const base = Math.floor(total / ids.length);
  const larger = new Set(
    [...ids]
      .sort((a, b) => (claimed.get(b)?.length ?? 0) - (claimed.get(a)?.length ?? 0) || a.localeCompare(b))
      .slice(0, total % ids.length),
  );
  const free = new Set<string>(unclaimed);
  for (const id of ids) {
    const share = base + (larger.has(id) ? 1 : 0);
    // The last by name go first, as they always have, so which ones move is predictable.
    const mine = claimed.get(id) ?? [];
    split.set(id, mine.slice(0, share));
    for (const c of mine.slice(share)) free.add(c);
  }
  const pool = [...free].sort();
  for (const id of ids) {
    const share = base + (larger.has(id) ? 1 : 0);
    const mine = split.get(id) ?? [];
    while (mine.length < share && pool.length > 0) mine.push(pool.shift() as string);
    split.set(id, mine.sort());
  }
  return split;
}

export interface BalanceInput {
  /** Clusters a pool worker can serve (pool mode, with credentials). */
  candidates: readonly string[];
  /** This worker's id. */
  self: string;
  /** Clusters this worker holds now. */
  held: readonly string[];
  /** The other live pool workers, with the clusters they reported holding at their last heartbeat. */
  others: readonly WorkerHoldings[];
}

export interface BalancePlan {
  /** Held clusters to hand over: gone from the registry, or given to another worker by the split. */
  release: string[];
  /** This worker's part of the split that it does not hold yet; a previous holder may keep one until its next step. */
  tryAcquire: string[];
}

/**
 * One rebalancing step of one worker, decided on its own from what every live worker last reported: all compute
 * the same split (`assignClusters`), each releases what is no longer its part and takes what is. This worker's own
 * holdings are what it holds now, and win over another's stale report of the same cluster, since its lease says
 * who really has it.
 */
export function planBalance(input: BalanceInput): BalancePlan {
  const mine = new Set(input.held);
  const others = input.others
    .filter((w) => w.id !== input.self)
    .map((w) => ({ id: w.id, held: w.held.filter((c) => !mine.has(c)) }));
  const split = assignClusters(input.candidates, [{ id: input.self, held: input.held }, ...others]);
  const target = new Set(split.get(input.self));
  return {
    release: [...mine].filter((c) => !target.has(c)).sort(),
    tryAcquire: [...target].filter((c) => !mine.has(c)).sort(),
  };
}
