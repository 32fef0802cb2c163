import { describe, expect, it } from "vitest";
import { createStoreLogger } from "./logger.ts";

describe("createStoreLogger", () => {
  it("redacts credentials wherever a caller puts them", () => {
    const lines: string[] = [];
    const log = createStoreLogger({ destination: { write: (line: string) => lines.push(line) } });
    log.info(
      {
        cluster: "prod-eu",
        credentials: { kind: "token", token: "s3cr3t" },
        registration: { credentials: { kubeconfig: "kc-s3cr3t" }, token: "t-s3cr3t" },
        kubeconfig: "raw-s3cr3t",
      },
      "registered",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("prod-eu");
    expect(lines[0]).not.toContain("s3cr3t");
  });
});
