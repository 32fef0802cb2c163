import type { HistoryEntry } from "@flotilla/status";
import Table from "cli-table3";

const short = (text: string | undefined, n: number): string => (text === undefined ? "" : text.slice(0, n));
const digest = (d: string | undefined): string => short(d?.replace(/^sha256:/, ""), 12);

/** One line per sync, newest first: when, what came of it, which commit and bundle. */
export function historyTable(entries: readonly HistoryEntry[]): string {
  const table = new Table({
    head: ["TIME", "RESULT", "REVISION", "BUNDLE", "FLEET", "MESSAGE"],
    style: { head: [], border: [], compact: true },
  });
  for (const e of entries) {
    table.push([
      new Date(e.at).toISOString().replace("T", " ").slice(0, 23),
      e.result,
      short(e.revision, 12),
      digest(e.bundleDigest),
      short(e.fleetRevision, 12),
      short(e.message, 100),
    ]);
  }
  return `${table.toString()}\n`;
}
