import { describe, expect, it } from "vitest";
import { parseUsage } from "./proc.ts";

describe("parseUsage", () => {
  const status = "Name:\targocd\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";

  it("adds user, system and waited-for children's ticks, and reads the peak and current RSS", () => {
    // utime 150, stime 50, cutime 20, cstime 30 ticks
    const stat = "4242 (argocd) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 20 30 20 0 12 0 1000 1 1";
    expect(parseUsage(stat, status)).toEqual({ cpuSeconds: 2.5, peakRssBytes: 204800 * 1024, rssBytes: 102400 * 1024 });
  });

  it("counts fields after the last parenthesis, so a command name with spaces and ')' does not shift them", () => {
    const stat = "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 100 0 0 0 20 0 1 0 1 1 1";
    expect(parseUsage(stat, status).cpuSeconds).toBe(1);
  });

  it("reads 0 bytes when the status has no memory lines (a kernel thread)", () => {
    const stat = "2 (kthreadd) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0";
    expect(parseUsage(stat, "Name:\tkthreadd\n")).toEqual({ cpuSeconds: 0, peakRssBytes: 0, rssBytes: 0 });
  });
});
