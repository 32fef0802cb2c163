import { ValidationError } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import type { ClusterRegistration } from "./cluster-types.ts";
import { validateRegistration } from "./cluster-validate.ts";

const pool: ClusterRegistration = {
  name: "prod-eu",
  server: "https://prod-eu.example:6443",
  labels: { env: "prod" },
  mode: "pool",
  credentials: { kind: "token", token: "t" },
};

describe("validateRegistration", () => {
  it("accepts a pool cluster with credentials and an agent cluster without", () => {
    expect(() => validateRegistration(pool)).not.toThrow();
    expect(() => validateRegistration({ ...pool, mode: "agent", credentials: undefined })).not.toThrow();
  });

  it.each<[string, ClusterRegistration, string]>([
    ["a name that is not DNS-1123", { ...pool, name: "Prod_EU" }, "name"],
    ["an empty server", { ...pool, server: "" }, "server"],
    ["pool mode without credentials", { ...pool, credentials: undefined }, "credentials"],
    ["agent mode with credentials", { ...pool, mode: "agent" }, "credentials"],
    ["an unknown mode", { ...pool, mode: "push" as "pool" }, "mode"],
    ["an empty token", { ...pool, credentials: { kind: "token", token: "" } }, "credentials.token"],
    [
      "an empty kubeconfig",
      { ...pool, credentials: { kind: "kubeconfig", kubeconfig: " " } },
      "credentials.kubeconfig",
    ],
  ])("refuses %s, naming the field", (_, reg, path) => {
    let caught: unknown;
    try {
      validateRegistration(reg);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path)).toContain(path);
  });
});
