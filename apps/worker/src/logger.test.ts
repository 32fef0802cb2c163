import { describe, expect, it } from "vitest";
import { createWorkerLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const log = createWorkerLogger({ level: "debug", destination: { write: (line: string) => lines.push(line) } });
  return { log, lines };
}

describe("createWorkerLogger", () => {
  it("redacts credentials, tokens and kubeconfigs wherever a log call puts them", () => {
    const { log, lines } = capture();
    const err = Object.assign(new Error("request failed"), {
      request: { headers: { authorization: "Bearer s3cr3t-header" } },
      details: { cluster: { credentials: { kind: "token", token: "s3cr3t-deep" } } },
    });
    log.warn(
      {
        cluster: "prod-eu",
        credentials: { kind: "token", token: "s3cr3t-1" },
        record: { kubeconfig: "s3cr3t-2", token: "s3cr3t-3" },
        kubeconfig: {
          users: [{ name: "admin", user: { token: "s3cr3t-4", "client-key-data": "s3cr3t-5", password: "s3cr3t-6" } }],
        },
        // @kubernetes/client-node's KubeConfig, as a careless `{ kc }` would log it.
        kc: { users: [{ name: "admin", token: "s3cr3t-7", keyData: "s3cr3t-8", password: "s3cr3t-9" }] },
        err,
      },
      "cluster request failed",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("prod-eu");
    expect(lines[0]).toContain("request failed");
    expect(lines[0]).not.toMatch(/s3cr3t/);
  });
});
