import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createStoreLogger } from "../logger.ts";
import { openStore, type Store } from "../store.ts";

export interface FreshStores {
  /** The file's one connection, open from its beforeAll to its afterAll. */
  readonly redis: Redis;
  /** A store on a key prefix of its own, so that tests of one file never see each other's keys. */
  open(): Promise<Store>;
}

/** For a test file on a shared Redis at `url`: registers the hooks that open and close its connection. */
export function freshStores(url: string): FreshStores {
  const log = createStoreLogger({ level: "silent" });
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(url);
  });
  afterAll(async () => {
    await redis?.quit();
  });
  const connection = (): Redis => {
    if (!redis) throw new Error("freshStores: the connection opens in beforeAll; use it inside a test");
    return redis;
  };
  return {
    get redis() {
      return connection();
    },
    open: () =>
      openStore({
        redis: connection(),
        log,
        prefix: `t:${randomBytes(6).toString("hex")}:`,
        needsCredentials: false,
      }),
  };
}
