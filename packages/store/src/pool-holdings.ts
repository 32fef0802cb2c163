/**
 * The pool workers' holdings reports (the `poolWorkerHoldings` hash: worker id → the clusters it holds), written by
 * each worker at its heartbeat and between beats, read by the other workers and by the status readers.
 *
 * A report is the sorted list of the clusters held, or, while the worker hands clusters over, `{held, leaving}`:
 * `leaving` are released (or being released) to another worker that has not taken them yet. The balancing reads
 * only `held` (a leaving cluster is free to take); the status readers count both as served, so a hand-over is not
 * reported as a cluster nobody serves.
 */

/** What a worker stores as its holdings: the same sorted lists however they were reached. */
export function holdingsReport(held: readonly string[], leaving: readonly string[] = []): string {
  const sorted = [...held].sort();
  // Nothing leaving: the list alone, as every reader, older workers' included, has always read it.
  if (leaving.length === 0) return JSON.stringify(sorted);
  return JSON.stringify({ held: sorted, leaving: [...leaving].sort() });
}

/** The clusters a report holds. Missing or unreadable counts as nothing: the leases still keep clusters exclusive. */
export function parseHoldingsReport(json: string | undefined): string[] {
  return readHoldingsReport(json).held;
}

/** The clusters a report serves: those it holds and those it is handing over. */
export function parseServedReport(json: string | undefined): string[] {
  const { held, leaving } = readHoldingsReport(json);
  return [...new Set([...held, ...leaving])].sort();
}

/** Both lists of a report, for a reader that tells holding from handing over. */
export function readHoldingsReport(json: string | undefined): { held: string[]; leaving: string[] } {
  if (json === undefined) return { held: [], leaving: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { held: [], leaving: [] };
  }
  if (Array.isArray(parsed)) return { held: names(parsed), leaving: [] };
  if (typeof parsed !== "object" || parsed === null) return { held: [], leaving: [] };
  const { held, leaving } = parsed as { held?: unknown; leaving?: unknown };
  return { held: Array.isArray(held) ? names(held) : [], leaving: Array.isArray(leaving) ? names(leaving) : [] };
}

function names(list: unknown[]): string[] {
  return list.filter((c): c is string => typeof c === "string");
}
