import { appSummaryOf, type StatusStore } from "@flotilla/status";
import type { Store, StoreKeys } from "@flotilla/store";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { compareIds, type FleetEvent, type PositionedEvent, type StreamPosition } from "./fleet-event.ts";

type Entry = [id: string, fields: string[]];
type Source = "status" | "cluster";
interface SourcedEntry {
  source: Source;
  id: string;
  fields: Record<string, string>;
}

export interface EventFilter {
  /** Only these clusters' Applications and registry changes (all when empty). */
  clusters: ReadonlySet<string>;
  /** Only this ApplicationSet's Applications and generation records. */
  appSet?: string;
}

/** One SSE client. `send` returns false when the client cannot keep up; it is then dropped. */
export interface Subscriber {
  filter: EventFilter;
  send(event: PositionedEvent): boolean;
  /** Called when the hub drops the client (it could not keep up, or the server is closing). */
  close(): void;
}

export interface EventHubOptions {
  redis: Redis;
  keys: Pick<StoreKeys, "statusEvents" | "clusterEvents">;
  store: Pick<Store, "clusters" | "generations">;
  status: Pick<StatusStore, "get">;
  log: Logger;
  /** How long one XREAD blocks. @defaultValue 5 s */
  blockMs?: number;
}

interface Member {
  subscriber: Subscriber;
  /** Live events held back while the member's replay (from its Last-Event-ID) is still being sent. */
  held?: PositionedEvent[];
}

/**
 * One reader of the status and registry streams for every SSE client of this process: a blocking XREAD on its own
 * connection, each entry turned into an event by re-reading what it names (so an entry, which an agent can write,
 * carries no state of its own), then fanned out in process to the clients whose filter it passes. Started by the
 * first client, stopped with the server.
 */
export class EventHub {
  readonly #options: EventHubOptions;
  readonly #members = new Set<Member>();
  #conn: Redis | undefined;
  #position: StreamPosition | undefined;
  #starting: Promise<void> | undefined;
  #stopped = false;

  constructor(options: EventHubOptions) {
    this.#options = options;
  }

  /** Clients connected now. */
  get size(): number {
    return this.#members.size;
  }

  /**
   * Adds a client; with `from` (a Last-Event-ID), first replays what it missed since then. Returns the function
   * that removes it.
   */
  async subscribe(subscriber: Subscriber, from?: StreamPosition): Promise<() => void> {
    await this.#start();
    const member: Member = from === undefined ? { subscriber } : { subscriber, held: [] };
    this.#members.add(member);
    const remove = () => {
      this.#members.delete(member);
    };
    if (from !== undefined) {
      const to = this.#position!;
      try {
        await this.#replay(member, from, to);
      } catch (err) {
        remove();
        throw err;
      }
      // An entry the reader was resolving when the replay began is in both; the replay sent it already.
      const held = (member.held ?? []).filter(
        (e) => compareIds(e.id.status, to.status) > 0 || compareIds(e.id.cluster, to.cluster) > 0,
      );
      delete member.held;
      for (const e of held) if (!this.#deliver(member, e)) break;
    }
    return remove;
  }

  /** Resolves once the reader runs: a route awaits it before answering, so a Redis that is down is an error reply. */
  ready(): Promise<void> {
    return this.#start();
  }

  /** Ends every client's stream (the server is closing) and the reader. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const m of this.#members) m.subscriber.close();
    this.#members.clear();
    this.#conn?.disconnect();
  }

  #start(): Promise<void> {
    this.#starting ??= (async () => {
      const conn = this.#options.redis.duplicate({ connectionName: `${this.#options.keys.statusEvents}:sse` });
      conn.on("error", (err: unknown) => this.#options.log.debug({ err }, "event stream connection error"));
      this.#conn = conn;
      const [status, cluster] = await Promise.all([
        lastId(conn, this.#options.keys.statusEvents),
        lastId(conn, this.#options.keys.clusterEvents),
      ]);
      this.#position = { status, cluster };
      void this.#loop(conn);
    })();
    return this.#starting;
  }

  async #loop(conn: Redis): Promise<void> {
    const { keys, log } = this.#options;
    while (!this.#stopped) {
      try {
        const position = this.#position!;
        const reply = (await conn.xread(
          "COUNT",
          500,
          "BLOCK",
          this.#options.blockMs ?? 5_000,
          "STREAMS",
          keys.statusEvents,
          keys.clusterEvents,
          position.status,
          position.cluster,
        )) as [string, Entry[]][] | null;
        if (reply === null) continue;
        const entries: SourcedEntry[] = [];
        for (const [key, list] of reply) {
          const source: Source = key === keys.statusEvents ? "status" : "cluster";
          for (const [id, fields] of list) entries.push({ source, id, fields: fieldsOf(fields) });
        }
        for (const e of merged(entries)) {
          const next = { ...this.#position!, [e.source]: e.id };
          this.#position = next;
          const event = await this.#resolve(e);
          if (event === undefined) continue;
          const positioned = { id: next, event };
          for (const m of this.#members) {
            if (m.held !== undefined) m.held.push(positioned);
            else this.#deliver(m, positioned);
          }
        }
      } catch (err) {
        if (this.#stopped) return;
        log.warn({ err }, "reading the status event streams failed; retrying in 1 s");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** What a client missed between `from` and `to`, in order; a `resync` first when the streams no longer hold it. */
  async #replay(member: Member, from: StreamPosition, to: StreamPosition): Promise<void> {
    const { keys } = this.#options;
    const conn = this.#options.redis;
    const trimmed =
      (await trimmedPast(conn, keys.statusEvents, from.status)) ||
      (await trimmedPast(conn, keys.clusterEvents, from.cluster));
    let position = { ...from };
    if (trimmed) {
      const resync: FleetEvent = {
        event: "resync",
        data: { reason: "the events after this Last-Event-ID are no longer kept; re-read the fleet" },
      };
      if (!this.#deliver(member, { id: to, event: resync })) return;
      position = { ...to };
    }
    const ranges = await Promise.all([
      rangeBetween(conn, keys.statusEvents, position.status, to.status),
      rangeBetween(conn, keys.clusterEvents, position.cluster, to.cluster),
    ]);
    const entries: SourcedEntry[] = [
      ...ranges[0].map(([id, fields]) => ({ source: "status" as const, id, fields: fieldsOf(fields) })),
      ...ranges[1].map(([id, fields]) => ({ source: "cluster" as const, id, fields: fieldsOf(fields) })),
    ];
    for (const e of merged(entries)) {
      position = { ...position, [e.source]: e.id };
      const event = await this.#resolve(e);
      if (event !== undefined && !this.#deliver(member, { id: position, event })) return;
    }
  }

  #deliver(member: Member, e: PositionedEvent): boolean {
    if (!passes(member.subscriber.filter, e.event)) return true;
    if (member.subscriber.send(e)) return true;
    this.#members.delete(member);
    member.subscriber.close();
    return false;
  }

  /** The event an entry announces, from the state as it is now; undefined for an entry this API does not know. */
  async #resolve(e: SourcedEntry): Promise<FleetEvent | undefined> {
    const f = e.fields;
    if (e.source === "cluster") {
      const type = f.type;
      if ((type !== "added" && type !== "updated" && type !== "removed") || f.cluster === undefined) return undefined;
      const record = await this.#options.store.clusters.get(f.cluster);
      const version = Number(f.version ?? 0);
      if (record === undefined) return { event: "cluster", data: { type: "removed", cluster: f.cluster, version } };
      return {
        event: "cluster",
        data: { type, cluster: f.cluster, version, mode: record.mode, server: record.server, labels: record.labels },
      };
    }
    if (f.kind === "generation" && f.appSet !== undefined) {
      const record = await this.#options.store.generations.getGeneration(f.appSet);
      if (record === undefined) return { event: "generation", data: { appSet: f.appSet, present: false } };
      return {
        event: "generation",
        data: {
          appSet: record.appSet,
          present: true,
          commit: record.commit,
          time: record.time,
          counts: record.counts,
          ...(record.generatorError !== undefined && { generatorError: record.generatorError }),
        },
      };
    }
    if ((f.kind === "status" || f.kind === "deleted") && f.cluster && f.appSet && f.application) {
      const ref = { cluster: f.cluster, appSet: f.appSet, application: f.application };
      const status = await this.#options.status.get(ref);
      return status === undefined ? { event: "deleted", data: ref } : { event: "status", data: appSummaryOf(status) };
    }
    return undefined;
  }
}

function passes(filter: EventFilter, e: FleetEvent): boolean {
  const inClusters = (c: string) => filter.clusters.size === 0 || filter.clusters.has(c);
  const inAppSet = (a: string) => filter.appSet === undefined || filter.appSet === a;
  switch (e.event) {
    case "status":
    case "deleted":
      return inClusters(e.data.cluster) && inAppSet(e.data.appSet);
    case "cluster":
      return inClusters(e.data.cluster);
    case "generation":
      return inAppSet(e.data.appSet);
    case "resync":
      return true;
  }
}

/** Both streams' entries in time order (ids are times), so a client sees events as they happened. */
function merged(entries: SourcedEntry[]): SourcedEntry[] {
  return entries.sort((a, b) => compareIds(a.id, b.id));
}

function fieldsOf(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

async function lastId(conn: Redis, key: string): Promise<string> {
  const last = (await conn.xrevrange(key, "+", "-", "COUNT", 1)) as Entry[];
  return last[0]?.[0] ?? "0-0";
}

/** Entries after `from` up to and including `to`. */
async function rangeBetween(conn: Redis, key: string, from: string, to: string): Promise<Entry[]> {
  if (compareIds(from, to) >= 0) return [];
  return (await conn.xrange(key, `(${from}`, to)) as Entry[];
}

/** Whether entries after `from` were trimmed away (Redis 7 keeps the largest deleted id). */
async function trimmedPast(conn: Redis, key: string, from: string): Promise<boolean> {
  const info = (await conn.call("XINFO", "STREAM", key).catch(() => undefined)) as unknown[] | undefined;
  if (info === undefined) return false;
  const at = info.indexOf("max-deleted-entry-id");
  const maxDeleted = at >= 0 ? String(info[at + 1]) : "0-0";
  return compareIds(from, maxDeleted) < 0;
}
