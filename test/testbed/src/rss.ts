import { readFileSync } from "node:fs";

/** Resident set size of a process in bytes, from /proc (Linux only); 0 when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number.parseInt(match[1], 10) * 1024 : 0;
  } catch {
    return 0;
  }
}
