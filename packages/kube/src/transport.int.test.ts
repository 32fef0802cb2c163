import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ApiError } from "./errors/api-error.ts";
import { Transport } from "./transport.ts";

type Kubeconfig = { users: Array<{ user: Record<string, unknown> }> };

/** The test bed's kubeconfig with its user's credentials replaced by `user`. */
function withUser(kubeconfig: string, user: (token: string) => Record<string, unknown>): string {
  const config = parse(kubeconfig) as Kubeconfig;
  const first = config.users[0];
  if (first === undefined) throw new Error("no user");
  first.user = user(String(first.user["token"]));
  return stringify(config);
}

const work = mkdtempSync(join(tmpdir(), "flotilla-transport-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeWithClusters("the transport authenticates each request as the kubeconfig says", (clusters) => {
  const cluster = clusters[0]!;
  const namespaces = { method: "GET", path: "/api/v1/namespaces", query: { limit: "1" } } as const;

  it("sends a token user's bearer token on every request of its pooled connections", async () => {
    const transport = Transport.fromKubeconfig(cluster.kubeconfig, 10_000);
    for (let i = 0; i < 3; i++) {
      const list = await transport.request<{ kind: string; items: unknown[] }>(namespaces);
      expect(list.kind).toBe("NamespaceList");
      expect(list.items).toHaveLength(1);
    }
    const created = await transport.exchange({
      method: "POST",
      path: "/api/v1/namespaces",
      body: { apiVersion: "v1", kind: "Namespace", metadata: { generateName: "transport-" } },
    });
    expect(created.status).toBe(201);
  });

  it("is refused with the server's own words when the token is wrong", async () => {
    const transport = Transport.fromKubeconfig(
      withUser(cluster.kubeconfig, () => ({ token: "not-a-token" })),
      10_000,
    );
    const refused = await transport.request(namespaces).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status.code).toBe(401);
  });

  it("sends the impersonation the kubeconfig asks for", async () => {
    const kubeconfig = withUser(cluster.kubeconfig, (token) => ({ token, as: "nobody-in-particular" }));
    const refused = await Transport.fromKubeconfig(kubeconfig, 10_000)
      .request(namespaces)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    // Forbidden for the impersonated user: the header went out, and the server judged that user.
    expect((refused as ApiError).status.code).toBe(403);
    expect((refused as ApiError).message).toContain("nobody-in-particular");
  });

  it("asks an exec plugin for credentials, request by request through client-node", async () => {
    const token = String((parse(cluster.kubeconfig) as Kubeconfig).users[0]?.user["token"]);
    const plugin = join(work, "credential-plugin.sh");
    const credential = {
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token },
    };
    writeFileSync(plugin, `#!/bin/sh\necho run >> "${join(work, "runs")}"\necho '${JSON.stringify(credential)}'\n`);
    chmodSync(plugin, 0o755);
    const kubeconfig = withUser(cluster.kubeconfig, () => ({
      exec: { apiVersion: "client.authentication.k8s.io/v1", command: plugin, interactiveMode: "Never" },
    }));
    const transport = Transport.fromKubeconfig(kubeconfig, 10_000);
    for (let i = 0; i < 2; i++) {
      expect((await transport.request<{ kind: string }>(namespaces)).kind).toBe("NamespaceList");
    }
    expect(readFileSync(join(work, "runs"), "utf8")).toContain("run");
  });
});
