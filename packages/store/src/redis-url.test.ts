import { describe, expect, it } from "vitest";
import { redisConstructorArgs, redisEndpoint } from "./redis-connection.ts";
import { isRedisUrlError, parseRedisUrl, redactRedisUrl } from "./redis-url.ts";

describe("parseRedisUrl", () => {
  it("leaves redis:// and rediss:// URLs to ioredis", () => {
    expect(parseRedisUrl("redis://:pw@redis:6379/2")).toEqual({ kind: "direct", url: "redis://:pw@redis:6379/2" });
    expect(parseRedisUrl("rediss://redis.example.com:6380")).toMatchObject({ kind: "direct" });
  });

  it("reads a Sentinel URL: hosts, master name, database, the master's and the Sentinels' credentials", () => {
    expect(
      parseRedisUrl(
        "redis+sentinel://flotilla:p%40ss@sentinel-0.sentinel:26379,sentinel-1.sentinel,[fd00::1]:26380/mymaster/3" +
          "?sentinelUsername=watch&sentinelPassword=s3nt",
      ),
    ).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "sentinel-0.sentinel", port: 26379 },
        { host: "sentinel-1.sentinel", port: 26379 },
        { host: "fd00::1", port: 26380 },
      ],
      masterName: "mymaster",
      db: 3,
      username: "flotilla",
      password: "p@ss",
      sentinelUsername: "watch",
      sentinelPassword: "s3nt",
    });
    expect(parseRedisUrl("redis+sentinel://:pw@s:26379/m")).toEqual({
      kind: "sentinel",
      sentinels: [{ host: "s", port: 26379 }],
      masterName: "m",
      password: "pw",
    });
  });

  it.each([
    ["localhost:6379", /not a redis:\/\/, rediss:\/\/ or redis\+sentinel:\/\//],
    ["http://redis:6379", /not a redis:\/\//],
    ["redis+sentinel://s1:26379,s2:26379", /no master name/],
    ["redis+sentinel://s1:26379/", /no master name/],
    ["redis+sentinel://s1:26379,/m", /"" is not a Sentinel host:port/],
    ["redis+sentinel://s1:99999/m", /"s1:99999" is not a Sentinel host:port/],
    ["redis+sentinel://s1:port/m", /"s1:port" is not a Sentinel host:port/],
    ["redis+sentinel://s 1:26379/m", /is not a Sentinel host:port/],
    ["redis+sentinel://s1/m/db", /is not \/<master name> or \/<master name>\/<db number>/],
    ["redis+sentinel://s1/m/1/2", /is not \/<master name>/],
    ["redis+sentinel://s1/m?password=x", /unknown parameter "password"/],
  ])("refuses %s, saying what to write", (url, message) => {
    let caught: unknown;
    try {
      parseRedisUrl(url);
    } catch (err) {
      caught = err;
    }
    expect(isRedisUrlError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it("never puts a password in its messages", () => {
    for (const url of [
      "redis+sentinel://u:hunter22@s1:26379",
      "redis+sentinel://u:hunter22@s1/m?sentinelPassword=hunter23&x=1",
      "http://u:hunter22@redis",
    ]) {
      let message = "";
      try {
        parseRedisUrl(url);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toMatch(/hunter2[23]/);
    }
    expect(redactRedisUrl("redis+sentinel://u:pw@s/m?sentinelPassword=spw")).toBe(
      "redis+sentinel://***@s/m?sentinelPassword=***",
    );
  });
});

describe("redisConstructorArgs", () => {
  const common = { maxRetriesPerRequest: null, retryStrategy: () => 250 };

  it("hands a plain URL to ioredis as it is", () => {
    expect(redisConstructorArgs("redis://redis:6379", common)).toEqual({ url: "redis://redis:6379", options: common });
  });

  it("turns a Sentinel URL into Sentinel options that retry as the master connection does", () => {
    const { url, options } = redisConstructorArgs("redis+sentinel://:pw@s1:26379,s2:26380/mymaster/1", common);
    expect(url).toBeUndefined();
    expect(options).toMatchObject({
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      name: "mymaster",
      db: 1,
      password: "pw",
      maxRetriesPerRequest: null,
      sentinelRetryStrategy: common.retryStrategy,
    });
  });

  it("lets a password given apart from the URL (FLOTILLA_REDIS_PASSWORD_FILE) win", () => {
    const { options } = redisConstructorArgs("redis+sentinel://:url-pw@s1/m", { ...common, password: "file-pw" });
    expect(options).toMatchObject({ password: "file-pw" });
  });
});

describe("redisEndpoint of a Sentinel URL", () => {
  it("names the Sentinels and the master, never the credentials", () => {
    expect(redisEndpoint("redis+sentinel://u:pw@s1:26379,[fd00::1]:26380/mymaster/2?sentinelPassword=x")).toBe(
      "redis+sentinel://s1:26379,[fd00::1]:26380/mymaster/2",
    );
  });
});
