import { SECRET_MARK, secretLadenFields } from "@flotilla/log/testing";
import { describe, expect, it } from "vitest";
import { createWorkerLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const log = createWorkerLogger({ level: "debug", destination: { write: (line: string) => lines.push(line) } });
  return { log, lines };
}

describe("createWorkerLogger", () => {
  it("redacts credentials, tokens, keys and kubeconfigs wherever a log call puts them", () => {
    const { log, lines } = capture();
    log.warn(secretLadenFields(), "cluster request failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("prod-eu");
    expect(lines[0]).toContain("request failed");
    expect(lines[0]).not.toMatch(SECRET_MARK);
  });
});
