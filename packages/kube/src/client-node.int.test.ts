import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * Imports the package in a fresh Node process whose loader records every module it loads, then runs `then`; prints
 * how many of client-node's modules were loaded before and after.
 */
function clientNodeModules(then: string): { before: number; after: number; generated: number } {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
    const count = () => [...loaded].filter((u) => u.includes("/@kubernetes/client-node/")).length;
    const generated = () => [...loaded].filter((u) => ["apis", "models", "types"].some((d) => u.includes("/client-node/dist/gen/" + d + "/"))).length;
    const kube = await import(${JSON.stringify(`${here}index.ts`)});
    const before = count();
    ${then}
    console.log(JSON.stringify({ before, after: count(), generated: generated() }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as { before: number; after: number; generated: number };
}

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe("client-node is loaded at first use", () => {
  it("is not loaded by importing the package (the generator and the API use only its pure parts)", () => {
    const { before, after } = clientNodeModules(
      "kube.assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }); kube.parseId('/ConfigMap/ns/a');",
    );
    expect(before).toBe(0);
    expect(after).toBe(0);
  });

  it("is loaded by the first manager, without the generated APIs and models (about 800 modules)", () => {
    const { before, after, generated } = clientNodeModules(
      `const m = kube.ResourceManager.fromKubeconfig(${JSON.stringify(KUBECONFIG)}); if (m.server !== "https://127.0.0.1:6443") throw new Error(m.server);`,
    );
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(5);
    expect(generated).toBe(0);
  });
});
