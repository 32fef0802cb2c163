import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RepoReader } from "@flotilla/core";
import { RepoCache } from "@flotilla/git";
import { SyncQueues } from "@flotilla/queue";
import { StatusStore } from "@flotilla/status";
import { openStore, type Store, storeKeys, tokenDigest } from "@flotilla/store";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from "fastify";
import { Redis } from "ioredis";
import pino, { type Logger } from "pino";
import { afterAll, beforeAll } from "vitest";
import type { ApiDeps } from "../deps.ts";
import { buildApiServer } from "../server.ts";

/** The bootstrap admin token of every harness: tests use it to make the read and admin tokens they need. */
export const BOOTSTRAP_TOKEN = "test-bootstrap-token-0123456789";

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly deps: ApiDeps;
  readonly store: Store;
  readonly prefix: string;
  /** Where the server listens (127.0.0.1, a free port), for tests that run the CLI as a process. */
  readonly url: string;
  /** Stored tokens, made through the API in beforeAll. */
  readonly tokens: { read: string; admin: string };
  /** Every route the server registered, in order, as Fastify was told of it (HEAD twins of GETs included). */
  readonly routes: readonly RouteOptions[];
  /** A request as `who` (a scope's token, the bootstrap token, or none). */
  call(
    who: "read" | "admin" | "bootstrap" | "none",
    options: InjectOptions & { url: string },
  ): Promise<LightMyRequestResponse>;
}

export interface ApiHarnessOptions {
  /** Credentials key for pool clusters; null starts the API without one. @defaultValue a random one */
  encryptionKey?: Buffer | null;
  /** A prefix shared with services the test runs (a generator, workers). @defaultValue a fresh one */
  prefix?: string;
  /** Git for appset diff and preview. @defaultValue a fresh repository cache that may read local repositories */
  repos?: RepoReader;
  /** See `ApiDeps.maxPreviewApplications`. */
  maxPreviewApplications?: number;
  /** Where the server logs, for tests that read its lines. @defaultValue silent */
  log?: Logger;
}

/**
 * For an API integration test file: the real server (routes, auth, validation) on a real Redis with a key prefix
 * of its own, served in-process through `inject`. Registers its own beforeAll/afterAll.
 */
export function apiHarness(redisUrl: string, options: ApiHarnessOptions = {}): ApiHarness {
  const prefix = options.prefix ?? `t:${randomBytes(6).toString("hex")}:`;
  let redis: Redis | undefined;
  let app: FastifyInstance | undefined;
  let deps: ApiDeps | undefined;
  const tokens = { read: "", admin: "" };
  let url: string | undefined;
  const routes: RouteOptions[] = [];
  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const log = options.log ?? pino({ level: "silent" });
    const key = options.encryptionKey === undefined ? randomBytes(32) : options.encryptionKey;
    const store = await openStore({
      redis,
      prefix,
      ...(key !== null && { encryptionKey: key }),
      needsCredentials: false,
      log,
    });
    deps = {
      redis,
      prefix,
      store,
      status: new StatusStore(redis, { prefix }),
      queues: new SyncQueues({ connection: redis, prefix: storeKeys(prefix).queuePrefix, log }),
      log,
      repos:
        options.repos ??
        new RepoCache({
          cacheDir: mkdtempSync(join(tmpdir(), "flotilla-api-repos-")),
          allowLocalRepos: true,
          logger: log,
        }),
      ...(options.maxPreviewApplications !== undefined && { maxPreviewApplications: options.maxPreviewApplications }),
    };
    app = await buildApiServer({
      deps,
      auth: { tokens: store.apiTokens, bootstrapDigest: tokenDigest(BOOTSTRAP_TOKEN) },
      onRoute: (route) => routes.push(route),
    });
    url = await app.listen({ port: 0, host: "127.0.0.1" });
    for (const scope of ["read", "admin"] as const) {
      const made = await app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
        payload: { name: `test-${scope}`, scope },
      });
      if (made.statusCode !== 201) throw new Error(`apiHarness: making the ${scope} token: ${made.body}`);
      tokens[scope] = (made.json() as { token: string }).token;
    }
  });
  afterAll(async () => {
    await app?.close();
    await deps?.queues.close();
    await redis?.quit();
  });
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`apiHarness: ${what} opens in beforeAll; use it inside a test`);
    return value;
  };
  return {
    get app() {
      return need(app, "the server");
    },
    get deps() {
      return need(deps, "the deps");
    },
    get store() {
      return need(deps, "the store").store;
    },
    prefix,
    get url() {
      return need(url, "the server's URL");
    },
    tokens,
    routes,
    call: (who, request) => {
      const token = who === "none" ? undefined : who === "bootstrap" ? BOOTSTRAP_TOKEN : tokens[who];
      return need(app, "the server").inject({
        ...request,
        headers: { ...request.headers, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
      });
    },
  };
}
