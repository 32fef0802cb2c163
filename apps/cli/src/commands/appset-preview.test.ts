import type { RepoReader } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../exit-codes.ts";
import { type PreviewOptions, previewAppSets } from "./appset-preview.ts";

const clusters = `- { name: dev, server: https://dev:6443, labels: { env: dev } }
- { name: prod, server: https://prod:6443, labels: { env: prod } }
`;

function appSet(name: string, template = "{{app}}-{{name}}", extra = ""): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - matrix:
        generators:
          - clusters: {}
          - list: { elements: [ { app: web }, { app: api }${extra} ] }
  template:
    metadata: { name: "${template}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: "apps/{{app}}" }
      destination: { cluster: "{{name}}", namespace: "{{app}}" }
`;
}

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};

async function preview(files: Record<string, string>, options: Partial<PreviewOptions> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await previewAppSets(
    { files: ["set.yaml"], clustersFile: "clusters.yaml", output: "json", ...options },
    {
      readFile: async (p) => {
        const text = files[p];
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
        return text;
      },
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      repos: noGit,
    },
  );
  return { code, stdout, stderr };
}

describe("flotilla appset preview", () => {
  it("prints every Application as JSON and exits 0", async () => {
    const r = await preview({ "set.yaml": appSet("shop"), "clusters.yaml": clusters });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(ExitCode.Ok);
    const apps = JSON.parse(r.stdout) as { kind: string; metadata: { name: string }; spec: unknown }[];
    expect(apps.map((a) => a.metadata.name)).toEqual(["web-dev", "api-dev", "web-prod", "api-prod"]);
    expect(apps[0]).toEqual({
      apiVersion: "flotilla.dev/v1alpha1",
      kind: "Application",
      metadata: { name: "web-dev", labels: { "flotilla.dev/appset": "shop" } },
      spec: {
        source: { repoURL: "https://git.example/fleet.git", path: "apps/web" },
        destination: { cluster: "dev", namespace: "web" },
      },
    });
  });

  it("exits 1 when an element fails, still printing its siblings", async () => {
    const r = await preview({
      "set.yaml": appSet("shop", "{{app}}-{{name}}", ", { app: Bad_Name }"),
      "clusters.yaml": clusters,
    });
    expect(r.code).toBe(ExitCode.ElementErrors);
    expect(JSON.parse(r.stdout)).toHaveLength(4);
    expect(r.stderr).toBe(
      [
        'error: set.yaml:1: ApplicationSet "shop": element 2 [name=dev server=https://dev:6443 nameNormalized=dev] (Application "Bad_Name-dev"): metadata.name: "Bad_Name-dev" expected lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
        'error: set.yaml:1: ApplicationSet "shop": element 5 [name=prod server=https://prod:6443 nameNormalized=prod] (Application "Bad_Name-prod"): metadata.name: "Bad_Name-prod" expected lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
        "",
      ].join("\n"),
    );
  });

  it("resolves destination.server to the registered cluster; an unregistered server fails its element, exit 1", async () => {
    const set = appSet("shop")
      .replace(
        "- clusters: {}",
        '- list: { elements: [ { name: dev, server: "https://dev:6443/" }, { name: qa, server: "https://qa:6443" } ] }',
      )
      .replace('destination: { cluster: "{{name}}"', 'destination: { server: "{{server}}"');
    const r = await preview({ "set.yaml": set, "clusters.yaml": clusters });
    expect(r.code).toBe(ExitCode.ElementErrors);
    const apps = JSON.parse(r.stdout) as { metadata: { name: string }; spec: { destination: unknown } }[];
    expect(apps.map((a) => a.metadata.name)).toEqual(["web-dev", "api-dev"]);
    expect(apps[0]?.spec.destination).toEqual({ server: "https://dev:6443/", namespace: "web", cluster: "dev" });
    expect(r.stderr).toBe(
      [
        'error: set.yaml:1: ApplicationSet "shop": element 2 [name=qa server=https://qa:6443 app=web] (Application "web-qa"): spec.destination.server: "https://qa:6443" is not the server of any registered cluster',
        'error: set.yaml:1: ApplicationSet "shop": element 3 [name=qa server=https://qa:6443 app=api] (Application "api-qa"): spec.destination.server: "https://qa:6443" is not the server of any registered cluster',
        "",
      ].join("\n"),
    );
  });

  it("reports two elements producing one name on both", async () => {
    const r = await preview({ "set.yaml": appSet("shop", "{{app}}"), "clusters.yaml": clusters });
    expect(r.code).toBe(ExitCode.ElementErrors);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain(
      'element 0 [name=dev server=https://dev:6443 nameNormalized=dev] (Application "web"): duplicate Application name "web": elements 0, 2 all produce it',
    );
    expect(r.stderr).toContain(
      'element 2 [name=prod server=https://prod:6443 nameNormalized=prod] (Application "web"): duplicate Application name "web": elements 0, 2 all produce it',
    );
  });

  it("exits 2 on an invalid file, naming file:line:col, and still previews the valid sibling", async () => {
    const bad = appSet("broken").replace("kind: ApplicationSet", "kind: ApplicationSet\nspce: {}");
    const r = await preview({ "set.yaml": `${appSet("shop")}---\n${bad}`, "clusters.yaml": clusters });
    expect(r.code).toBe(ExitCode.InvalidInput);
    expect(r.stderr).toBe('error: set.yaml:18:1: spce: unknown field "spce"\n');
    expect(JSON.parse(r.stdout)).toHaveLength(4);
  });

  it("exits 2 when a file is missing", async () => {
    const r = await preview({ "clusters.yaml": clusters });
    expect(r.code).toBe(ExitCode.InvalidInput);
    expect(r.stderr).toBe("error: set.yaml: cannot read file: no such file\n");
  });

  it("prints a table", async () => {
    const r = await preview({ "set.yaml": appSet("shop"), "clusters.yaml": clusters }, { output: "table" });
    expect(r.stdout).toMatch(/APPLICATION.*APPSET.*CLUSTER.*NAMESPACE.*SOURCE.*REVISION/);
    expect(r.stdout).toMatch(/web-prod.*shop.*prod.*web.*https:\/\/git\.example\/fleet\.git apps\/web.*HEAD/);
  });

  it("shows which RollingSync step each Application falls in: the first match, unmatched last", async () => {
    const rolling = appSet("shop").replace(
      '  template:\n    metadata: { name: "{{app}}-{{name}}" }',
      `  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions: [{ key: env, operator: In, values: [dev] }]
        - matchExpressions: [{ key: app, operator: In, values: [web] }]
  template:
    metadata: { name: "{{app}}-{{name}}", labels: { env: "{{metadata.labels.env}}", app: "{{app}}" } }`,
    );
    const r = await preview({ "set.yaml": rolling, "clusters.yaml": clusters }, { output: "table" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(ExitCode.Ok);
    const rows = r.stdout
      .split("\n")
      .map((l) => l.split("│").map((c) => c.trim()))
      .filter((cells) => cells.length > 2);
    const header = rows[0]!;
    expect(header.at(-2)).toBe("STEP");
    const stepOf = (name: string) => rows.find((cells) => cells[1] === name)?.at(-2);
    expect(stepOf("web-dev")).toBe("1/2");
    expect(stepOf("api-dev")).toBe("1/2");
    // web-prod matches step 2 only; api-prod matches none and goes last.
    expect(stepOf("web-prod")).toBe("2/2");
    expect(stepOf("api-prod")).toBe("last (no step matches)");
    // Without RollingSync there is no STEP column.
    const plain = await preview({ "set.yaml": appSet("shop"), "clusters.yaml": clusters }, { output: "table" });
    expect(plain.stdout).not.toContain("STEP");
  });

  it("prints multi-document YAML", async () => {
    const r = await preview({ "set.yaml": appSet("shop"), "clusters.yaml": clusters }, { output: "yaml" });
    expect(r.stdout.split("---\n").filter(Boolean)).toHaveLength(4);
    expect(r.stdout).toContain("kind: Application\nmetadata:\n  name: web-dev\n");
  });
});
