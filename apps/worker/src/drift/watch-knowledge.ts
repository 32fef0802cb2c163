import type { StatusStore } from "@flotilla/status";
import { HealthSettler } from "./health-settler.ts";
import { OwnedKinds } from "./owned-kinds.ts";
import { WatchLedger } from "./watch-ledger.ts";

/**
 * What a worker's drift watches tell its syncs: what changed since a check, and health to settle. The runtime owns
 * one; the watches write it and the syncs read it. A sync in a process without watches finds an empty ledger and
 * checks fully.
 */
export interface WatchKnowledge {
  ledger: WatchLedger;
  settler: HealthSettler;
  /** What the syncs recorded as owned, for the watches to open a new kind at once. */
  owned: OwnedKinds;
}

export function createWatchKnowledge(store: StatusStore): WatchKnowledge {
  return { ledger: new WatchLedger(), settler: new HealthSettler(store), owned: new OwnedKinds() };
}
