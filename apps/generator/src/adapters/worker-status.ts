import type { Redis } from "ioredis";
import type { ReadStatus, StatusReader } from "./rollout-state.ts";

/**
 * The workers' status hash as the worker's StatusStore writes it (`<prefix>status:<cluster>`, field
 * `<appSet>/<application>`). The generator cannot import the worker app (the worker's tests import the
 * generator), so it reads that one hash here until the status model lives in a package of its own.
 */
export function workerStatus(redis: Redis, prefix: string): StatusReader {
  return {
    get: async (ref) => {
      const json = await redis.hget(`${prefix}status:${ref.cluster}`, `${ref.appSet}/${ref.application}`);
      return json === null ? undefined : (JSON.parse(json) as ReadStatus);
    },
  };
}
