import type { StatusStore } from "../status/status-store.ts";
import { HealthSettler } from "./health-settler.ts";
import { WatchLedger } from "./watch-ledger.ts";

/** What this process's drift watches tell its syncs: what changed since a check, and health to settle. */
export interface WatchKnowledge {
  ledger: WatchLedger;
  settler: HealthSettler;
}

const byStore = new WeakMap<StatusStore, WatchKnowledge>();

/**
 * One per status store, that is per worker runtime: the runtime's drift watcher writes it and its syncs read it,
 * without either holding the other. A sync in a process without watches finds an empty ledger and checks fully.
 */
export function watchKnowledgeOf(store: StatusStore): WatchKnowledge {
  let knowledge = byStore.get(store);
  if (knowledge === undefined) {
    knowledge = { ledger: new WatchLedger(), settler: new HealthSettler(store) };
    byStore.set(store, knowledge);
  }
  return knowledge;
}
