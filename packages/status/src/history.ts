import type { HistoryEntry } from "./types.ts";

/**
 * The revision running at `time`, given entries at or before it, newest first. A failed sync is not counted: what
 * it left is partial, so the answer is the last revision that fully landed; a deletion (or an abandoned one: what
 * is left is no longer Flotilla's) ends the answer. Undefined when nothing of this Application ran then.
 */
export function revisionAt(newestFirst: readonly HistoryEntry[], time: number): string | undefined {
  return entryAt(newestFirst, time)?.revision;
}

/** The history entry whose revision was running at `time` (see `revisionAt`): what ran, and since when. */
export function entryAt(
  newestFirst: readonly HistoryEntry[],
  time: number,
): (HistoryEntry & { revision: string }) | undefined {
  for (const entry of newestFirst) {
    if (entry.at > time) continue;
    if (entry.result === "Deleted" || entry.result === "Abandoned" || entry.result === "HandedOver") return undefined;
    if (entry.result === "Error" || entry.revision === undefined) continue;
    return { ...entry, revision: entry.revision };
  }
  return undefined;
}
