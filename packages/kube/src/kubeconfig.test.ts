import { describe, expect, it } from "vitest";
import { KubeconfigError, loadKubeconfig } from "./kubeconfig.ts";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.s3cr3t-payload.signature";

describe("loadKubeconfig", () => {
  it.each([
    ["bad indentation next to a token", `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${TOKEN}\n   bad: [\n`],
    ["an unterminated quote around a token", `users:\n- user: {token: "${TOKEN}\n`],
    ["a tab-indented token", `users:\n\t- token: ${TOKEN}\n`],
  ])("refuses %s without quoting any of it", (_, text) => {
    let caught: unknown;
    try {
      loadKubeconfig(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KubeconfigError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^kubeconfig cannot be loaded: .*; its contents are not shown$/);
    expect(message).not.toContain("s3cr3t");
    expect(message).not.toContain("eyJ");
  });
});
