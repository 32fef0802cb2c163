import { credentialsFromFile, RepoCache } from "@flotilla/git";
import { SyncQueues } from "@flotilla/queue";
import { StatusStore } from "@flotilla/status";
import { checkEvictionPolicy, connectRedis, openStore, storeKeys, tokenDigest, untilReady } from "@flotilla/store";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { ApiConfig } from "./config.ts";
import type { ApiDeps } from "./deps.ts";
import { buildApiServer } from "./server.ts";

export interface ApiService {
  readonly port: number;
  readonly server: FastifyInstance;
  stop(): Promise<void>;
}

/** Connects to the fleet's Redis, opens the store, and serves the API until stopped. */
export async function startApiService(config: ApiConfig, log: Logger): Promise<ApiService> {
  const redis = connectRedis({ url: config.redis.url, log });
  try {
    await untilReady(redis);
    await checkEvictionPolicy(redis, { skip: config.redis.skipPolicyCheck, log });
    const store = await openStore({
      redis,
      prefix: config.redis.prefix,
      ...(config.encryptionKey !== undefined && { encryptionKey: config.encryptionKey }),
      // Without the key the API still reads the fleet; registering a pool cluster says what is missing.
      needsCredentials: false,
      log,
    });
    const queues = new SyncQueues({ connection: redis, prefix: storeKeys(config.redis.prefix).queuePrefix, log });
    const deps: ApiDeps = {
      redis,
      prefix: config.redis.prefix,
      store,
      status: new StatusStore(redis, { prefix: config.redis.prefix }),
      queues,
      log,
      // The generator's Git access, so that a diff or preview reads the repositories the generator would.
      repos: new RepoCache({
        ...(config.repoCacheDir !== undefined && { cacheDir: config.repoCacheDir }),
        allowLocalRepos: config.allowLocalRepos,
        ...(config.gitCredentialsFile !== undefined && { credentials: credentialsFromFile(config.gitCredentialsFile) }),
        logger: log.child({ component: "git" }),
      }),
    };
    const server = await buildApiServer({
      deps,
      auth: {
        tokens: store.apiTokens,
        ...(config.bootstrapToken !== undefined && { bootstrapDigest: tokenDigest(config.bootstrapToken) }),
      },
    });
    await server.listen({ port: config.port, host: config.host });
    const address = server.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    return {
      port,
      server,
      stop: async () => {
        await server.close();
        await queues.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}
