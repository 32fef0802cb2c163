import { describe, expect, it } from "vitest";
import { kubeconfigFor } from "./credentials.ts";

describe("kubeconfigFor", () => {
  it("returns a stored kubeconfig as it is", () => {
    expect(kubeconfigFor("a", "https://a:6443", { kind: "kubeconfig", kubeconfig: "apiVersion: v1\n" })).toBe(
      "apiVersion: v1\n",
    );
  });

  it("builds a one-context kubeconfig around a token", () => {
    const config = JSON.parse(
      kubeconfigFor("prod", "https://prod:6443", {
        kind: "token",
        token: "t0k",
        caData: "Q0E=",
        insecureSkipTLSVerify: false,
      }),
    );
    expect(config).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "prod", cluster: { server: "https://prod:6443", "certificate-authority-data": "Q0E=" } }],
      users: [{ name: "prod-flotilla", user: { token: "t0k" } }],
      contexts: [{ name: "prod", context: { cluster: "prod", user: "prod-flotilla" } }],
      "current-context": "prod",
    });
  });
});
