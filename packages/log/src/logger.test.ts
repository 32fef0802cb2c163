import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { SECRET_MARK, secretLadenFields } from "./testing/secret-fields.ts";

function capture() {
  const lines: string[] = [];
  const log = createLogger({ name: "t", level: "debug", destination: { write: (line: string) => lines.push(line) } });
  return { log, lines };
}

describe("createLogger", () => {
  it("redacts credentials, tokens, keys and kubeconfigs wherever a log call puts them", () => {
    const { log, lines } = capture();
    log.warn(secretLadenFields(), "cluster request failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("prod-eu");
    expect(lines[0]).toContain("request failed");
    expect(lines[0]).not.toMatch(SECRET_MARK);
  });

  it("keeps the fields that are not secrets", () => {
    const { log, lines } = capture();
    log.child({ appset: "guestbook", app: "guestbook-eu", cluster: "eu" }).info({ revision: "abc" }, "synced");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      appset: "guestbook",
      app: "guestbook-eu",
      cluster: "eu",
      revision: "abc",
    });
  });
});
