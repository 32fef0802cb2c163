import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ClusterChange, ClusterChangeType } from "./cluster-types.ts";
import type { StoreKeys } from "./keys.ts";

export interface ClusterWatchOptions {
  /**
   * Deliver changes made after this registry version (as returned by `version()` or a previous change). Lets a
   * consumer that read the registry at version v start watching without a window in which changes slip by.
   * @defaultValue the version when the watcher first reaches Redis
   */
  fromVersion?: number;
  /** How long one blocking read waits; when it times out the watcher also compares versions. @defaultValue 5000 */
  blockMs?: number;
  /** Pause after a connection error before reading again. @defaultValue 500 */
  retryDelayMs?: number;
}

type StreamEntry = [id: string, fields: string[]];

/** Stops the watch. `ready` resolves with the version the watch starts after, once it is positioned. */
export type StopWatching = (() => Promise<void>) & { ready: Promise<number> };

/**
 * Follows the registry's change stream on a dedicated connection (a blocking XREAD would stall every other
 * command on a shared one). The stream position makes reconnects lossless; the version counter, written in the
 * same script as each event, catches what the stream cannot hold (trimmed entries): a gap becomes a `resync`.
 */
export function watchClusters(
  redis: Redis,
  keys: StoreKeys,
  log: Logger,
  onChange: (change: ClusterChange) => void | Promise<void>,
  options: ClusterWatchOptions = {},
): StopWatching {
  const blockMs = options.blockMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const conn = redis.duplicate({ connectionName: `${keys.clusterEvents}:watch` });
  conn.on("error", (err: Error) => log.debug({ err: err.message }, "cluster watch connection error"));
  let stopped = false;
  let lastId = "0-0";
  let lastVersion = 0;

  const emit = async (change: ClusterChange): Promise<void> => {
    try {
      await onChange(change);
    } catch (err) {
      // One failing consumer call must not end the watch: the next change still has to arrive.
      log.error({ err, change }, "cluster change handler failed");
    }
  };

  const deliver = async (entries: readonly StreamEntry[]): Promise<void> => {
    for (const [id, fields] of entries) {
      if (stopped) return;
      lastId = id;
      const f = fieldMap(fields);
      const version = Number(f.get("version"));
      if (!(version > lastVersion)) continue;
      if (version > lastVersion + 1) {
        lastVersion = version;
        await emit({ type: "resync", version });
        continue;
      }
      lastVersion = version;
      await emit({
        type: f.get("type") as ClusterChangeType,
        cluster: f.get("cluster") ?? "",
        labelsChanged: f.get("labelsChanged") === "1",
        version,
      });
    }
  };

  const snapshot = async (): Promise<{ version: number; topId: string }> => {
    // MULTI so that version and stream head are read at the same instant.
    const res = await conn.multi().get(keys.clusterVersion).xrevrange(keys.clusterEvents, "+", "-", "COUNT", 1).exec();
    const version = Number((res?.[0]?.[1] as string | null) ?? 0);
    const top = res?.[1]?.[1] as StreamEntry[] | undefined;
    return { version, topId: top?.[0]?.[0] ?? "0-0" };
  };

  const catchUp = async (): Promise<void> => {
    const snap = await snapshot();
    if (snap.version < lastVersion) {
      // The counter went backwards: Redis lost its data (FLUSHALL, a restart without persistence). Every change
      // since is numbered anew, so start over from here and have the consumer re-read the whole registry.
      lastVersion = snap.version;
      lastId = snap.topId;
      await emit({ type: "resync", version: snap.version });
      return;
    }
    if (snap.version === lastVersion) return;
    for (;;) {
      const entries = (await conn.xrange(keys.clusterEvents, `(${lastId}`, "+", "COUNT", 1000)) as StreamEntry[];
      if (entries.length === 0 || stopped) break;
      await deliver(entries);
    }
    if (!stopped && lastVersion < snap.version) {
      // The counter moved past anything the stream still holds: say so rather than pretend nothing happened.
      lastVersion = snap.version;
      if (compareIds(snap.topId, lastId) > 0) lastId = snap.topId;
      await emit({ type: "resync", version: snap.version });
    }
  };

  let positioned: (version: number) => void = () => {};
  const ready = new Promise<number>((resolve) => {
    positioned = resolve;
  });

  const start = async (): Promise<void> => {
    if (options.fromVersion === undefined) {
      const snap = await snapshot();
      lastVersion = snap.version;
      lastId = snap.topId;
      positioned(lastVersion);
    } else {
      lastVersion = options.fromVersion;
      positioned(lastVersion);
      await catchUp();
    }
  };

  const run = async (): Promise<void> => {
    let started = false;
    let failed = false;
    while (!stopped) {
      try {
        if (!started) {
          await start();
          started = true;
        } else if (failed) {
          await catchUp();
        }
        failed = false;
        const res = (await conn.xread("BLOCK", blockMs, "STREAMS", keys.clusterEvents, lastId)) as
          | [string, StreamEntry[]][]
          | null;
        if (res === null) await catchUp();
        else await deliver(res[0]?.[1] ?? []);
      } catch (err) {
        if (stopped) break;
        failed = true;
        log.warn({ err: (err as Error).message }, "cluster watch interrupted; catching up after reconnect");
        await sleep(retryDelayMs);
      }
    }
  };

  const done = run();
  const stop = async (): Promise<void> => {
    stopped = true;
    positioned(lastVersion);
    conn.disconnect();
    await done;
  };
  return Object.assign(stop, { ready });
}

function fieldMap(fields: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) m.set(fields[i]!, fields[i + 1]!);
  return m;
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split("-").map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
