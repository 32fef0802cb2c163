/**
 * The forms of FLOTILLA_REDIS_URL. A plain Redis is `redis://` or `rediss://` (ioredis reads those itself); Redis
 * Sentinel, the usual way to run Redis highly available, is
 * `redis+sentinel://[user:password@]host:26379[,host:26379…]/<master name>[/<db>][?sentinelUsername=…&sentinelPassword=…]`:
 * the credentials are the master's, the query's those of the Sentinels when they require their own.
 */
export type RedisTarget =
  | { kind: "direct"; url: string }
  | {
      kind: "sentinel";
      sentinels: Array<{ host: string; port: number }>;
      /** The master's name as the Sentinels know it (`sentinel monitor <name> …`). */
      masterName: string;
      db?: number;
      username?: string;
      password?: string;
      sentinelUsername?: string;
      sentinelPassword?: string;
    };

/** A Redis URL that cannot be used; the message says what to write, and never holds the URL's credentials. */
export class RedisUrlError extends Error {
  override readonly name = "RedisUrlError";
}

export function isRedisUrlError(err: unknown): err is RedisUrlError {
  return err instanceof RedisUrlError;
}

const SENTINEL_SCHEME = "redis+sentinel://";
const SENTINEL_FORM = "redis+sentinel://[user:password@]host:26379[,host:26379]/<master name>";
const SENTINEL_QUERY = new Set(["sentinelUsername", "sentinelPassword"]);

/** Which Redis a URL names; throws RedisUrlError for a URL of no supported form. */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { kind: "direct", url };
  if (!url.startsWith(SENTINEL_SCHEME)) {
    throw new RedisUrlError(
      `Redis URL "${redactRedisUrl(url)}": not a redis://, rediss:// or ${SENTINEL_SCHEME} (Redis Sentinel) URL`,
    );
  }
  const rest = url.slice(SENTINEL_SCHEME.length);
  const [beforeQuery = "", query] = splitOnce(rest, "?");
  const at = beforeQuery.lastIndexOf("@");
  const userinfo = at < 0 ? undefined : beforeQuery.slice(0, at);
  const [hostList = "", path = ""] = splitOnce(at < 0 ? beforeQuery : beforeQuery.slice(at + 1), "/");
  const problem = (what: string) =>
    new RedisUrlError(`Redis URL "${redactRedisUrl(url)}": ${what}; expected ${SENTINEL_FORM}`);

  const sentinels = hostList.split(",").map((entry) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
    const port = Number(match?.[2] ?? "26379");
    if (!match?.[1] || port < 1 || port > 65535) throw problem(`"${entry}" is not a Sentinel host:port`);
    return { host: match[1].replace(/^\[|\]$/g, ""), port };
  });
  const [masterName = "", dbText, ...more] = path.split("/");
  if (masterName === "") throw problem("no master name after the Sentinel hosts");
  if (more.length > 0 || (dbText !== undefined && !/^\d+$/.test(dbText))) {
    throw problem(`"/${path}" is not /<master name> or /<master name>/<db number>`);
  }
  const target: RedisTarget = { kind: "sentinel", sentinels, masterName: decodeURIComponent(masterName) };
  if (dbText !== undefined) target.db = Number(dbText);
  if (userinfo !== undefined) {
    const [user = "", password] = splitOnce(userinfo, ":");
    if (user !== "") target.username = decodeURIComponent(user);
    if (password !== undefined && password !== "") target.password = decodeURIComponent(password);
  }
  for (const [key, value] of new URLSearchParams(query ?? "")) {
    if (!SENTINEL_QUERY.has(key))
      throw problem(`unknown parameter "${key}" (known: sentinelUsername, sentinelPassword)`);
    if (key === "sentinelUsername") target.sentinelUsername = value;
    else target.sentinelPassword = value;
  }
  return target;
}

/** The URL with its password (and a Sentinel password in the query) replaced, for messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^/@]*@/, "$1***@").replace(/([?&]sentinelPassword=)[^&]*/, "$1***");
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
