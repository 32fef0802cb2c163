import { describe, expect, it } from "vitest";
import { WatchLedger } from "./watch-ledger.ts";

const kinds = ["/ConfigMap", "apps/Deployment"];

function watched(since: number): WatchLedger {
  const ledger = new WatchLedger();
  for (const kind of kinds) ledger.connected("c", kind, since);
  return ledger;
}

describe("WatchLedger", () => {
  it("vouches for an Application when every kind it owns was watched since its check and nothing changed", () => {
    expect(watched(100).quietSince("c", "s", "a", kinds, 200)).toBe(true);
  });

  it("does not vouch for a check made before a kind's watch (re-)listed: changes in between went unseen", () => {
    expect(watched(300).quietSince("c", "s", "a", kinds, 200)).toBe(false);
  });

  it("does not vouch while a watch is down, and does again once it resumed without a gap", () => {
    const ledger = watched(100);
    ledger.interrupted("c", "/ConfigMap");
    expect(ledger.quietSince("c", "s", "a", kinds, 200)).toBe(false);
    ledger.resumed("c", "/ConfigMap");
    expect(ledger.quietSince("c", "s", "a", kinds, 200)).toBe(true);
  });

  it("does not vouch for an unwatched kind, another cluster, or a closed watch", () => {
    const ledger = watched(100);
    expect(ledger.quietSince("c", "s", "a", [...kinds, "batch/Job"], 200)).toBe(false);
    expect(ledger.quietSince("other", "s", "a", kinds, 200)).toBe(false);
    ledger.closed("c", "apps/Deployment");
    expect(ledger.quietSince("c", "s", "a", kinds, 200)).toBe(false);
  });

  it("does not vouch for an Application changed after its check; a later check is vouched for again", () => {
    const ledger = watched(100);
    ledger.changed("c", "s", "a", 250);
    expect(ledger.quietSince("c", "s", "a", kinds, 200)).toBe(false);
    expect(ledger.quietSince("c", "s", "b", kinds, 200)).toBe(true);
    expect(ledger.quietSince("c", "s", "a", kinds, 300)).toBe(true);
  });
});
