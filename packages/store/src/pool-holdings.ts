/**
 * The pool workers' holdings reports (the `poolWorkerHoldings` hash: worker id → the clusters it holds), written by
 * each worker at its heartbeat and between beats, read by the other workers and by the status readers.
 */

/** What a worker stores as its holdings: the same sorted list however it was reached. */
export function holdingsReport(held: readonly string[]): string {
  return JSON.stringify([...held].sort());
}

/** A report that is missing or unreadable counts as holding nothing: the leases still keep clusters exclusive. */
export function parseHoldingsReport(json: string | undefined): string[] {
  if (json === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === "string") : [];
  } catch {
    return [];
  }
}
