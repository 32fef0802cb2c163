import { eventually } from "./eventually.ts";
import type { LogLine, ServiceProcess } from "./service-process.ts";

export interface ProbeAnswer {
  status: number;
  body: unknown;
}

/** One GET of a service's health endpoint on 127.0.0.1; undefined while nothing answers there yet. */
export async function probeHttp(port: number, path: string): Promise<ProbeAnswer | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.json() };
  } catch {
    return undefined;
  }
}

/** Polls `path` until it answers with `status`, and returns that answer. */
export function untilStatus(options: { port: number; path: string; status: number }): Promise<ProbeAnswer> {
  return eventually(
    `${options.path} ${options.status}`,
    async () => {
      const answer = await probeHttp(options.port, options.path);
      return answer?.status === options.status ? answer : undefined;
    },
    60_000,
  );
}

/**
 * Waits for `count` "Redis unreachable; retrying" lines of the service's main connection (a service may hold
 * other connections, such as the generator's subscriber, each retrying on its own schedule).
 */
export function redisRetryLines(proc: ServiceProcess, count: number): Promise<LogLine[]> {
  return eventually(
    `${count} retry lines`,
    () => {
      const lines = proc.logs().filter((l) => l.msg === "Redis unreachable; retrying" && l.connection === "main");
      return lines.length >= count ? lines : undefined;
    },
    60_000,
  );
}
