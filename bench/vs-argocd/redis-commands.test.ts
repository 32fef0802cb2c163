import { describe, expect, it } from "vitest";
import { commandsBetween, parseCommandStats } from "./redis-commands.ts";

const INFO = [
  "# Commandstats",
  "cmdstat_evalsha:calls=120,usec=900,usec_per_call=7.50,rejected_calls=0,failed_calls=0",
  "cmdstat_hgetall:calls=7,usec=20,usec_per_call=2.86,rejected_calls=0,failed_calls=0",
  "cmdstat_info:calls=3,usec=100,usec_per_call=33.3,rejected_calls=0,failed_calls=0",
  "cmdstat_client|setname:calls=2,usec=1,usec_per_call=0.5,rejected_calls=0,failed_calls=0",
  "",
].join("\r\n");

describe("Redis command counts", () => {
  it("reads calls by command from INFO commandstats, subcommands included", () => {
    const counts = parseCommandStats(INFO);
    expect(counts.get("evalsha")).toBe(120);
    expect(counts.get("client|setname")).toBe(2);
    expect(counts.size).toBe(4);
  });

  it("ignores lines that are not counters", () => {
    expect(parseCommandStats("# Commandstats\r\nnot a counter\r\ncmdstat_get:usec=1\r\n").size).toBe(0);
  });

  it("differences largest first, without zeros or the bench's own INFO", () => {
    const before = parseCommandStats(INFO);
    const after = new Map(before);
    after.set("evalsha", 150);
    after.set("info", 9);
    after.set("set", 40);
    expect(commandsBetween(before, after)).toEqual([
      ["set", 40],
      ["evalsha", 30],
    ]);
  });
});
