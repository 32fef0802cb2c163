import { readFileSync } from "node:fs";

/** What /proc says one process has used so far. */
export interface ProcessUsage {
  /** User + system CPU, including children it has waited for (git, kubectl helpers), in seconds. */
  cpuSeconds: number;
  /** VmHWM: the highest resident set size the process reached, in bytes. */
  peakRssBytes: number;
  /** VmRSS now, in bytes. */
  rssBytes: number;
}

// USER_HZ is 100 on every Linux build Node runs on; /proc/<pid>/stat counts in it.
const ticksPerSecond = 100;

/** Parses /proc/<pid>/stat and /proc/<pid>/status texts; pure, so the parsing is unit-tested. */
export function parseUsage(statText: string, statusText: string): ProcessUsage {
  // The command name (field 2) may hold spaces and parentheses; fields are counted after its last ")".
  const fields = statText.slice(statText.lastIndexOf(")") + 2).split(" ");
  // After the name, index 0 is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number.parseInt(fields[i] ?? "0", 10), 0);
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB$`, "m").exec(statusText);
    return match?.[1] ? Number.parseInt(match[1], 10) * 1024 : 0;
  };
  return { cpuSeconds: ticks / ticksPerSecond, peakRssBytes: kb("VmHWM"), rssBytes: kb("VmRSS") };
}

/** The usage of a live process; undefined once it is gone. */
export function processUsage(pid: number): ProcessUsage | undefined {
  try {
    return parseUsage(readFileSync(`/proc/${pid}/stat`, "utf8"), readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return undefined;
  }
}
