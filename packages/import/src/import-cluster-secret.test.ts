import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { importArgoCd } from "./import-file.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const secret = (init: {
  name?: string;
  server?: string;
  config?: unknown;
  labels?: string;
  extra?: string;
}) => `apiVersion: v1
kind: Secret
metadata:
  name: cluster-prod
  namespace: argocd
  labels:
    argocd.argoproj.io/secret-type: cluster
${init.labels ?? "    env: prod\n    region: eu"}
type: Opaque
stringData:
  name: ${init.name ?? "prod-eu"}
  server: ${init.server ?? "https://prod-eu.example:6443"}
  config: '${typeof init.config === "string" ? init.config : JSON.stringify(init.config ?? { bearerToken: "s3cr3t-token", tlsClientConfig: { caData: b64("CA PEM") } })}'
${init.extra ?? ""}`;

const convert = (text: string) => importArgoCd({ file: "secrets.yaml", text });

describe("importArgoCd: cluster Secrets", () => {
  it("makes a registration with a one-context kubeconfig and the labels minus Argo CD's own", () => {
    const result = convert(secret({}));
    expect(result.issues).toEqual([]);
    const [cluster] = result.clusters;
    expect(cluster).toMatchObject({
      name: "prod-eu",
      server: "https://prod-eu.example:6443",
      labels: { env: "prod", region: "eu" },
    });
    expect(parse(cluster!.kubeconfig)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "prod-eu",
          cluster: { server: "https://prod-eu.example:6443", "certificate-authority-data": b64("CA PEM") },
        },
      ],
      users: [{ name: "prod-eu", user: { token: "s3cr3t-token" } }],
      contexts: [{ name: "prod-eu", context: { cluster: "prod-eu", user: "prod-eu" } }],
      "current-context": "prod-eu",
    });
  });

  it("reads base64 data and client certificates, insecure and serverName", () => {
    const config = JSON.stringify({
      tlsClientConfig: { insecure: true, serverName: "api.internal", certData: b64("CERT"), keyData: b64("KEY") },
    });
    const text = `apiVersion: v1
kind: Secret
metadata:
  name: c
  labels: {argocd.argoproj.io/secret-type: cluster, tier: gold}
data:
  name: ${b64("edge-1")}
  server: ${b64("https://10.0.0.1:6443")}
  config: ${b64(config)}
`;
    const result = convert(text);
    expect(result.issues).toEqual([]);
    const kubeconfig = parse(result.clusters[0]!.kubeconfig);
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: "https://10.0.0.1:6443",
      "insecure-skip-tls-verify": true,
      "tls-server-name": "api.internal",
    });
    expect(kubeconfig.users[0].user).toEqual({ "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") });
    expect(result.clusters[0]!.labels).toEqual({ tier: "gold" });
  });

  it.each([
    [
      { config: { execProviderConfig: { command: "argocd-k8s-auth" } } },
      "unsupported",
      "execProviderConfig (a program that makes credentials) is not supported",
    ],
    [{ config: { awsAuthConfig: { clusterName: "x" } } }, "unsupported", "awsAuthConfig"],
    [{ config: { tlsClientConfig: { insecure: false } } }, "unsupported", "config has no credentials"],
    [
      { config: { bearerToken: "t", tlsClientConfig: { certData: b64("C") } } },
      "invalid",
      "certData and keyData go together",
    ],
    [{ config: { bearerToken: "t", proxy: "x" } }, "invalid", "config.proxy: unknown field"],
    [{ config: "{not json s3cr3t" }, "invalid", "config is not valid JSON"],
    [{ name: "Prod_EU" }, "unsupported", 'cluster name "Prod_EU"'],
    [{ server: "prod.example" }, "invalid", "expected an http(s) URL"],
    [{ labels: "    bad key!: x" }, "invalid", ""],
    [{ extra: "  namespaces: a,b" }, "unsupported", "namespaces"],
  ])("%# refuses %j", (init, kind, message) => {
    const result = convert(secret(init));
    expect(result.clusters).toEqual([]);
    expect(result.issues[0]!.kind).toBe(kind);
    expect(result.issues[0]!.message).toContain(message);
    // A message names fields, never what a Secret holds.
    for (const issue of result.issues) expect(issue.message).not.toContain("s3cr3t");
  });

  it("refuses data that is not base64, and Secrets of another type", () => {
    const notBase64 = convert(
      "apiVersion: v1\nkind: Secret\nmetadata: {labels: {argocd.argoproj.io/secret-type: cluster}}\ndata: {name: '***'}\n",
    );
    expect(notBase64.issues[0]).toMatchObject({ kind: "invalid", path: "data.name", line: 4 });
    const repo = convert(
      "apiVersion: v1\nkind: Secret\nmetadata: {labels: {argocd.argoproj.io/secret-type: repository}}\n",
    );
    expect(repo.issues[0]!.kind).toBe("unsupported");
    expect(repo.issues[0]!.message).toContain("only cluster Secrets convert");
  });

  it("notes the project and annotations it drops", () => {
    const result = convert(secret({ extra: "  project: team-a" }));
    expect(result.issues).toEqual([]);
    expect(result.notes.map((n) => n.path)).toEqual(["stringData.project"]);
  });
});
