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

describe("validateRegistration of a kubeconfig", () => {
  const TOKEN = "eyJhbGciOiJSUzI1NiJ9.kc-s3cr3t.sig";
  const kubeconfig = (server = "https://prod-eu.example:6443", extra = "") => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${server}"}
users:
- name: u
  user: {token: ${TOKEN}}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
${extra}`;
  const reg = (text: string): ClusterRegistration => ({
    ...pool,
    credentials: { kind: "kubeconfig", kubeconfig: text },
  });
  const issuesOf = (text: string) => {
    try {
      validateRegistration(reg(text));
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
    return undefined;
  };

  it("accepts one whose current context reaches the registered server (trailing slash or not)", () => {
    expect(issuesOf(kubeconfig())).toBeUndefined();
    expect(issuesOf(kubeconfig("https://prod-eu.example:6443/"))).toBeUndefined();
  });

  it.each([
    ["broken YAML next to the token", `${kubeconfig()}  bad: [\n`, /is not valid YAML .*its contents are not shown/],
    ["broken indentation inside the user", kubeconfig().replace("  user: {token:", " user: {token:"), /not valid YAML/],
    ["no current-context", kubeconfig().replace("current-context: ctx", ""), /has no "current-context"/],
    [
      "a current-context that is not listed",
      kubeconfig().replace("current-context: ctx", "current-context: x"),
      /not in "contexts"/,
    ],
    [
      "a user that is not listed",
      kubeconfig().replace("user: u}", "user: nobody}"),
      /names a user that is not in "users"/,
    ],
    [
      "another server",
      kubeconfig("https://elsewhere:6443"),
      /points at https:\/\/elsewhere:6443, but the registration's server is/,
    ],
    ["two documents", `${kubeconfig()}---\n${kubeconfig()}`, /holds 2 YAML documents/],
  ])("refuses %s, naming the field and never quoting the text", (_, text, message) => {
    const err = issuesOf(text);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err!.issues.map((i) => i.path)).toContain("credentials.kubeconfig");
    expect(err!.message).toMatch(message);
    expect(err!.message).not.toContain("s3cr3t");
    expect(err!.message).not.toContain("eyJ");
  });

  it("points at the line of the problem", () => {
    const err = issuesOf(kubeconfig("https://elsewhere:6443"));
    expect(err!.issues[0]).toMatchObject({ line: 5 });
  });
});
