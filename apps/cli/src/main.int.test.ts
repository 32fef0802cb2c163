import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The real command, as a user runs it: a process, real files, a real Git repository (this one) for the
// git generator example.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "apps/cli/src/main.ts");

function flotilla(...args: string[]) {
  return flotillaWith({ FLOTILLA_ALLOW_LOCAL_REPOS: "true" }, ...args);
}

function flotillaWith(extra: Record<string, string | undefined>, ...args: string[]) {
  // The git directories example reads this repository from disk: allowed explicitly, as an operator would.
  const env = { ...process.env, ...extra };
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("flotilla appset preview (process)", () => {
  it("previews the bundled examples as JSON, including the git directories generator", () => {
    const r = flotilla(
      "appset",
      "preview",
      "examples/guestbook.yaml",
      "examples/git-directories.yaml",
      "--clusters",
      "examples/clusters.yaml",
      "-o",
      "json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.stdout) as { metadata: { name: string } }[]).map((a) => a.metadata.name);
    expect(names).toContain("frontend-prod-eu");
    expect(names).toContain("monitoring-dev-eu");
    expect(names).toContain("guestbook-prod-us");
    // guestbook.yaml's 10, and examples/fleet/apps/* (guestbook: the demo's one plain-YAML app) on the 2 prod clusters.
    expect(names).toHaveLength(12);
  });

  it("exits 2 naming file:line:col for an invalid file", () => {
    const dir = mkdtempSync(join(tmpdir(), "flotilla-cli-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "apiVersion: flotilla.dev/v1alpha1\nkind: ApplicationSet\nmetadata: { name: x }\nspec: []\n");
    const r = flotilla("appset", "preview", file, "--clusters", "examples/clusters.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${file}:4:1: spec: expected object, received array\n`);
  });

  it("exits 2 for an unknown output format", () => {
    const r = flotilla("appset", "preview", "examples/guestbook.yaml", "-o", "xml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are table, yaml, json.",
    );
  });

  it("exits 1 when a git generator cannot reach its repository, and prints the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "flotilla-cli-"));
    const file = join(dir, "gone.yaml");
    writeFileSync(
      file,
      `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: gone }
spec:
  generators: [ { git: { repoURL: ${join(dir, "no-such-repo")}, directories: [ { path: "*" } ] } } ]
  template:
    metadata: { name: "{{path.basename}}" }
    spec:
      source: { repoURL: https://git.example/x.git, path: "{{path}}" }
      destination: { server: https://kubernetes.default.svc, namespace: x }
`,
    );
    const r = flotilla(
      "appset",
      "preview",
      file,
      "examples/guestbook.yaml",
      "--clusters",
      "examples/clusters.yaml",
      "-o",
      "json",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*gone\.yaml:1: ApplicationSet "gone": spec\.generators\[0\]\.git: /);
    expect(JSON.parse(r.stdout)).toHaveLength(10);
  });

  it("refuses a local repository unless the operator allows local repositories, naming the URL and the setting", () => {
    const args = ["appset", "preview", "examples/git-directories.yaml", "--clusters", "examples/clusters.yaml"];
    const refused = flotillaWith({ FLOTILLA_ALLOW_LOCAL_REPOS: undefined }, ...args, "-o", "json");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${root.replace(/\/$/, "")} is a local repository`);
    expect(refused.stderr).toContain("FLOTILLA_ALLOW_LOCAL_REPOS=true");
    const allowed = flotillaWith(
      { FLOTILLA_ALLOW_LOCAL_REPOS: undefined },
      ...args,
      "--allow-local-repos",
      "-o",
      "json",
    );
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
  });
});
