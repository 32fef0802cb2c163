import { describe, expect, it } from "vitest";
import type { ApiError } from "../errors.ts";
import { pickContext } from "./kubeconfig-context.ts";

const TOKEN = "tok-secret-1234567890";
const config = (extra = "") => `apiVersion: v1
kind: Config
current-context: one
clusters:
  - name: c1
    cluster: { server: "https://one:6443", certificate-authority-data: Y2E= }
  - name: c2
    cluster: { server: "https://two:6443" }
users:
  - name: u1
    user: { token: ${TOKEN} }
  - name: u2
    user: { token: other-${TOKEN}${extra} }
contexts:
  - { name: one, context: { cluster: c1, user: u1 } }
  - { name: two, context: { cluster: c2, user: u2 } }
`;

function refusal(text: string, context?: string): ApiError {
  try {
    pickContext(text, context);
  } catch (err) {
    return err as ApiError;
  }
  throw new Error("expected a refusal");
}

describe("pickContext", () => {
  it("keeps only the current context, its cluster and user", () => {
    const picked = pickContext(config());
    expect(picked.server).toBe("https://one:6443");
    const kept = JSON.parse(picked.kubeconfig) as Record<string, { name: string }[]>;
    expect(kept.clusters!.map((c) => c.name)).toEqual(["c1"]);
    expect(kept.users!.map((u) => u.name)).toEqual(["u1"]);
    expect(picked.kubeconfig).not.toContain(`other-${TOKEN}`);
  });

  it("picks a named context", () => {
    const picked = pickContext(config(), "two");
    expect(picked).toMatchObject({ server: "https://two:6443", context: "two" });
    expect(JSON.parse(picked.kubeconfig)["current-context"]).toBe("two");
  });

  it.each([
    [
      "an unknown context",
      config(),
      "three",
      "body.context",
      /context "three" is not in the kubeconfig's contexts \(it has "one", "two"\)/,
    ],
    [
      "a dangling cluster",
      config().replace("cluster: c1, user", "cluster: c9, user"),
      undefined,
      "body.kubeconfig",
      /kubeconfig:\d+:\d+: context "one" names a cluster that is not in clusters/,
    ],
    [
      "a dangling user",
      config().replace("c1, user: u1", "c1, user: u9"),
      undefined,
      "body.kubeconfig",
      /names a user that is not in users/,
    ],
    ["no server", config().replace('server: "https://one:6443", ', ""), undefined, "body.kubeconfig", /has no server/],
    [
      "a token file",
      config().replace(`token: ${TOKEN} }`, "tokenFile: /var/run/token }"),
      undefined,
      "body.kubeconfig",
      /tokenFile names a file/,
    ],
    [
      "an exec plugin",
      config().replace(`{ token: ${TOKEN} }`, "{ exec: { command: aws } }"),
      undefined,
      "body.kubeconfig",
      /exec credentials run a program/,
    ],
    [
      "broken YAML",
      `${config()}\n  - : [`,
      undefined,
      "body.kubeconfig",
      /^body\.kubeconfig:\d+:\d+: is not valid YAML/,
    ],
    ["an empty document", "", undefined, "body.kubeconfig", /0 YAML documents/],
    ["a scalar", TOKEN, undefined, "body.kubeconfig", /is not a kubeconfig/],
  ])("refuses %s naming the field, never quoting the text", (_what, text, context, field, message) => {
    const err = refusal(text, context);
    expect(err.status).toBe(400);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(TOKEN);
  });
});
