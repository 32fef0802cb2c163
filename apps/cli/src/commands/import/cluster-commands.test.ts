import { describe, expect, it } from "vitest";
import { clusterAddCommand, shellQuote } from "./cluster-commands.ts";

const cluster = { name: "prod-eu", server: "https://p:6443", labels: {}, kubeconfig: "SECRET", file: "f", line: 1 };

describe("clusterAddCommand", () => {
  it("prints the registration with sorted labels and never the credentials", () => {
    const line = clusterAddCommand({ ...cluster, labels: { region: "eu", env: "prod" } }, "out/prod-eu.kubeconfig");
    expect(line).toBe(
      "flotilla cluster add prod-eu --kubeconfig out/prod-eu.kubeconfig --label env=prod --label region=eu",
    );
    expect(line).not.toContain("SECRET");
  });

  it("quotes what a shell would split or expand", () => {
    expect(clusterAddCommand(cluster, "my dir/$HOME.kubeconfig")).toBe(
      "flotilla cluster add prod-eu --kubeconfig 'my dir/$HOME.kubeconfig'",
    );
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
  });
});
