import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import { parseRedisUrl } from "./redis-url.ts";

export interface ReconnectBackoff {
  /** Delay before the first reconnection attempt. @defaultValue 250 */
  initialDelayMs?: number;
  /** Ceiling of the delay, so that a Redis that comes back is found within this long. @defaultValue 10000 */
  maxDelayMs?: number;
}

export interface RedisConnectionOptions extends ReconnectBackoff {
  /**
   * redis://, rediss:// or redis+sentinel:// URL (see `parseRedisUrl`); a password in it never reaches a log line.
   */
  url: string;
  log: Logger;
  /** Names the connection in log lines (`main`, `subscriber`). @defaultValue "main" */
  name?: string;
  /** A password kept out of the URL (read from a file). @defaultValue the URL's, if any */
  password?: string;
  /**
   * Commands issued in one turn of the event loop go out as one write (ioredis' auto-pipelining): for a
   * connection many concurrent syncs share, a socket write per command cost more CPU than the commands. Not for a
   * connection BullMQ drives. @defaultValue false
   */
  autoPipelining?: boolean;
}

/** The n-th reconnection attempt (from 1) waits twice as long as the one before, up to the ceiling. */
export function reconnectDelayMs(attempt: number, backoff: ReconnectBackoff = {}): number {
  const initial = backoff.initialDelayMs ?? 250;
  const max = backoff.maxDelayMs ?? 10_000;
  return Math.min(max, initial * 2 ** Math.min(Math.max(0, attempt - 1), 30));
}

/** The URL without its credentials, for log lines. */
export function redisEndpoint(url: string): string {
  try {
    const target = parseRedisUrl(url);
    if (target.kind === "sentinel") {
      const hosts = target.sentinels.map((s) => `${s.host.includes(":") ? `[${s.host}]` : s.host}:${s.port}`);
      return `redis+sentinel://${hosts.join(",")}/${target.masterName}${target.db === undefined ? "" : `/${target.db}`}`;
    }
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(unparsable Redis URL)";
  }
}

/**
 * Opens a connection for a long-running service. It never gives up: while Redis is unreachable (at start or
 * later) commands wait and the connection retries with backoff, logging one structured line per attempt, so a
 * service that cannot reach Redis says so instead of hanging silently. Readiness is `redis.status === "ready"`.
 */
export function connectRedis(options: RedisConnectionOptions): Redis {
  const common: RedisOptions = {
    // BullMQ requires it, and a command must wait for Redis to come back rather than fail half-way.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => reconnectDelayMs(attempt, options),
    ...(options.password !== undefined && { password: options.password }),
    ...(options.autoPipelining === true && { enableAutoPipelining: true }),
  };
  const args = redisConstructorArgs(options.url, common);
  const redis = args.url === undefined ? new Redis(args.options) : new Redis(args.url, args.options);
  observeConnection(redis, options);
  return redis;
}

/**
 * What ioredis is given for a URL: a plain URL as it is; a Sentinel URL as Sentinel options, so that the
 * connection asks the Sentinels for the master and follows a failover (a `duplicate()` inherits them).
 */
export function redisConstructorArgs(url: string, common: RedisOptions): { url?: string; options: RedisOptions } {
  const target = parseRedisUrl(url);
  if (target.kind === "direct") return { url, options: common };
  const retry = common.retryStrategy;
  return {
    options: {
      ...(target.username !== undefined && { username: target.username }),
      ...(target.password !== undefined && { password: target.password }),
      ...common,
      sentinels: target.sentinels,
      name: target.masterName,
      ...(target.db !== undefined && { db: target.db }),
      ...(target.sentinelUsername !== undefined && { sentinelUsername: target.sentinelUsername }),
      ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
      // The Sentinels are retried as the master is: never given up, the delay doubling to the same ceiling.
      ...(typeof retry === "function" && { sentinelRetryStrategy: retry }),
    },
  };
}

/**
 * Logs a connection's outages and recoveries (also for a `duplicate()`, which copies the retry strategy but not
 * the listeners). Without an `error` listener ioredis prints unstructured lines to stderr.
 */
export function observeConnection(redis: Redis, options: Pick<RedisConnectionOptions, "url" | "log" | "name">): void {
  const log = options.log.child({ redis: redisEndpoint(options.url), connection: options.name ?? "main" });
  let lastError: { code?: string; message: string } | undefined;
  let attempts = 0;
  redis.on("error", (err: NodeJS.ErrnoException) => {
    lastError = { message: err.message, ...(err.code !== undefined && { code: err.code }) };
  });
  redis.on("reconnecting", (delayMs: number) => {
    attempts++;
    log.warn({ attempt: attempts, retryInMs: delayMs, err: lastError }, "Redis unreachable; retrying");
  });
  redis.on("ready", () => {
    if (attempts > 0) log.info({ attempts }, "Redis reachable again");
    attempts = 0;
    lastError = undefined;
  });
}

/** Resolves once the connection is ready (at once when it already is); rejects if it is closed for good. */
export function untilReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off("end", onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off("ready", onReady);
      reject(new Error("Redis connection closed before it became ready"));
    };
    redis.once("ready", onReady);
    redis.once("end", onEnd);
  });
}

/**
 * Subscribes once the connection is ready. ioredis writes SUBSCRIBE at once on a connection that is connected
 * but not yet ready; its ready check (INFO) is then refused in subscriber mode, the connection is dropped, and
 * the subscription is not restored (redis/ioredis#2037): the channel is never heard, with no error to say so.
 * Once ready, a reconnect restores the subscription itself.
 */
export async function subscribeWhenReady(redis: Redis, ...channels: string[]): Promise<void> {
  await untilReady(redis);
  await redis.subscribe(...channels);
}
