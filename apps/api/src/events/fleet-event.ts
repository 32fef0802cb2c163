import type { AppSummary } from "@flotilla/status";
import type { GenerationCounts } from "@flotilla/store";

/** Where a client is in the two streams the events come from; sent as each event's id, taken back as Last-Event-ID. */
export interface StreamPosition {
  /** Id in the status event stream (status writes and generation records). */
  status: string;
  /** Id in the registry's change stream. */
  cluster: string;
}

export type FleetEvent =
  | { event: "status"; data: AppSummary }
  | { event: "deleted"; data: { cluster: string; appSet: string; application: string } }
  | {
      event: "cluster";
      data: {
        type: "added" | "updated" | "removed";
        cluster: string;
        version: number;
        mode?: "pool" | "agent";
        server?: string;
        labels?: Record<string, string>;
      };
    }
  | {
      event: "generation";
      data: {
        appSet: string;
        /** False when the record is gone (the ApplicationSet left Git); the rest is then absent. */
        present: boolean;
        commit?: string;
        time?: string;
        counts?: GenerationCounts;
        generatorError?: string;
      };
    }
  /** The client's Last-Event-ID is older than what the streams still hold: re-read everything, then go on. */
  | { event: "resync"; data: { reason: string } };

export interface PositionedEvent {
  id: StreamPosition;
  event: FleetEvent;
}

const ID = /^\d{1,20}-\d{1,20}$/;

export function formatPosition(p: StreamPosition): string {
  return `${p.status},${p.cluster}`;
}

/** A Last-Event-ID this API gave; undefined for anything else (the caller says what was expected). */
export function parsePosition(text: string): StreamPosition | undefined {
  const [status, cluster, ...rest] = text.trim().split(",");
  if (rest.length > 0 || status === undefined || cluster === undefined) return undefined;
  return ID.test(status) && ID.test(cluster) ? { status, cluster } : undefined;
}

/** Stream ids compare as (ms, seq) pairs. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

/** One server-sent event: id, event name, and the JSON data on one line (JSON has no raw newlines). */
export function formatSse(e: PositionedEvent): string {
  return `id: ${formatPosition(e.id)}\nevent: ${e.event.event}\ndata: ${JSON.stringify(e.event.data)}\n\n`;
}
