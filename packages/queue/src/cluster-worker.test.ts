import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { jobLogger } from "./cluster-worker.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const root = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { root, lines };
}

describe("jobLogger", () => {
  it("a job's log line carries appset, app and cluster, the fields every service logs", () => {
    const { root, lines } = capture();
    const log = jobLogger(root, "prod-eu", { appSet: "shop", application: "shop-prod-eu" }, "42");
    log.child({ seq: 7, kind: "sync" }).info("synced");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      appset: "shop",
      app: "shop-prod-eu",
      cluster: "prod-eu",
      jobId: "42",
      seq: 7,
      kind: "sync",
      msg: "synced",
    });
    expect(lines[0]).not.toHaveProperty("appSet");
    expect(lines[0]).not.toHaveProperty("application");
  });

  it("binds each field once, so a JSON reader sees no duplicate keys", () => {
    const raw: string[] = [];
    const root = pino({}, { write: (line: string) => raw.push(line) });
    jobLogger(root, "prod-eu", { appSet: "shop", application: "web" }, "1").info("x");
    for (const key of ["appset", "app", "cluster", "jobId"]) {
      expect(raw[0]!.split(`"${key}":`).length - 1, key).toBe(1);
    }
  });
});
