import { sourceFailureOf } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { GeneratorError } from "./errors.ts";
import { generateParams } from "./generate-params.ts";
import { cluster, context, plain, REPO } from "./test-context.ts";
import { DEFAULT_COMMIT } from "./testing/memory-repo.ts";

const tree = {
  "apps/guestbook/kustomization.yaml": "",
  "apps/prometheus_operator/Chart.yaml": "",
  "apps/legacy/app.yaml": "",
  "apps/.hidden/app.yaml": "",
  "apps/guestbook/overlays/prod/kustomization.yaml": "",
  "d/e/x": "",
  "d/f/x": "",
  "d/g/x": "",
  "top/x": "",
  ".github/workflows/ci.yaml": "",
};

async function dirs(directories: { path: string; exclude?: boolean }[]): Promise<string[]> {
  const params = await generateParams([{ git: { repoURL: REPO, directories } }], context({ files: tree }));
  return params.map((p) => p["path"] as string);
}

describe("git directories", () => {
  it("exposes Argo CD's path params", async () => {
    const params = await generateParams(
      [
        {
          git: {
            repoURL: REPO,
            revision: "main",
            directories: [{ path: "apps/prometheus_operator" }],
            values: { ns: "{{path.basename}}-ns" },
          },
        },
      ],
      context({ files: tree }),
    );
    expect(plain(params)).toEqual([
      {
        path: "apps/prometheus_operator",
        "path.basename": "prometheus_operator",
        "path.basenameNormalized": "prometheus-operator",
        "path[0]": "apps",
        "path[1]": "prometheus_operator",
        "path.segments": ["apps", "prometheus_operator"],
        "values.ns": "prometheus_operator-ns",
      },
    ]);
  });

  it("prefixes path params with pathParamPrefix", async () => {
    const [p] = await generateParams(
      [{ git: { repoURL: REPO, directories: [{ path: "apps/legacy" }], pathParamPrefix: "app" } }],
      context({ files: tree }),
    );
    expect(Object.keys(p as object)).toEqual([
      "app.path",
      "app.path.basename",
      "app.path.basenameNormalized",
      "app.path[0]",
      "app.path[1]",
      "app.path.segments",
    ]);
  });

  it.each<[string, { path: string; exclude?: boolean }[], string[]]>([
    ["* stays within one segment", [{ path: "apps/*" }], ["apps/guestbook", "apps/legacy", "apps/prometheus_operator"]],
    ["root with *", [{ path: "*" }], ["apps", "d", "top"]],
    [
      "exclude removes matches",
      [{ path: "apps/*" }, { path: "apps/legacy", exclude: true }],
      ["apps/guestbook", "apps/prometheus_operator"],
    ],
    ["exclude wins whatever the order", [{ path: "d/e" }, { path: "d/*", exclude: true }], []],
    ["Argo's [f|g] class example", [{ path: "/d/*" }, { path: "/d/[f|g]", exclude: true }], ["d/e"]],
    ["? matches one character", [{ path: "d/?" }], ["d/e", "d/f", "d/g"]],
    ["negated class", [{ path: "d/[^e]" }], ["d/f", "d/g"]],
    ["deeper patterns", [{ path: "apps/*/overlays/*" }], ["apps/guestbook/overlays/prod"]],
    [
      "hidden directories are never generated",
      [{ path: "*/*" }, { path: ".github" }],
      ["apps/guestbook", "apps/legacy", "apps/prometheus_operator", "d/e", "d/f", "d/g"],
    ],
    [
      "** is not special for directories",
      [{ path: "apps/**" }],
      ["apps/guestbook", "apps/legacy", "apps/prometheus_operator"],
    ],
  ])("%s", async (_, directories, expected) => {
    expect(await dirs(directories)).toEqual(expected);
  });

  it("reads the tree at the resolved commit, HEAD by default", async () => {
    const ctx = context({ files: tree });
    await generateParams([{ git: { repoURL: REPO, directories: [{ path: "*" }] } }], ctx);
    expect(ctx.repos.calls).toEqual([`resolveRevision ${REPO} HEAD`, `listTree ${REPO} ${DEFAULT_COMMIT}`]);
  });

  it.each([
    [
      "unknown repository",
      { repoURL: "https://git.example/nope.git", directories: [{ path: "*" }] },
      "spec.generators[0].git: cannot read https://git.example/nope.git at HEAD: repository https://git.example/nope.git not found",
    ],
    [
      "unknown revision",
      { repoURL: REPO, revision: "v9", directories: [{ path: "*" }] },
      `spec.generators[0].git: cannot read ${REPO} at v9: revision "v9" not found`,
    ],
    [
      "bad pattern",
      { repoURL: REPO, directories: [{ path: "apps/*" }, { path: "apps/[x" }] },
      'spec.generators[0].git.directories[1].path: pattern "apps/[x" has an unclosed [',
    ],
  ])("%s is an error with its cause", async (_, git, message) => {
    const run = generateParams([{ git }], context({ files: tree }));
    await expect(run).rejects.toThrow(message);
    const err = await generateParams([{ git }], context({ files: tree })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GeneratorError);
  });

  it("keeps the reader's error as the cause", async () => {
    const err = (await generateParams(
      [{ git: { repoURL: "https://x.example/r.git", directories: [{ path: "*" }] } }],
      context({ files: tree }),
    ).catch((e: unknown) => e)) as GeneratorError;
    expect(err.code).toBe("git");
    expect((err.cause as Error).message).toBe("repository https://x.example/r.git not found");
  });
});

const configs = {
  "cluster-config/engineering/dev/config.json": JSON.stringify({
    aws_account: "123456",
    asset_id: "11223344",
    cluster: { owner: "cluster-admin@company.com", name: "engineering-dev", address: "https://1.2.3.4" },
  }),
  "cluster-config/engineering/prod/config.yaml":
    "cluster:\n  name: engineering-prod\n  address: https://5.6.7.8\nreplicas: 3\n",
  "cluster-config/multi.yaml": "- app: a\n- app: b\n",
  "cluster-config/empty.yaml": "",
  "other/config.json": "{}",
};

async function files(entries: { path: string; exclude?: boolean }[], repo: Record<string, string> = configs) {
  return generateParams([{ git: { repoURL: REPO, files: entries } }], context({ files: repo }));
}

describe("git files", () => {
  it("flattens the file's keys and adds the file's path params", async () => {
    const params = await files([{ path: "cluster-config/**/dev/config.json" }]);
    expect(plain(params)).toEqual([
      {
        aws_account: "123456",
        asset_id: "11223344",
        "cluster.owner": "cluster-admin@company.com",
        "cluster.name": "engineering-dev",
        "cluster.address": "https://1.2.3.4",
        path: "cluster-config/engineering/dev",
        "path.basename": "dev",
        "path.basenameNormalized": "dev",
        "path.filename": "config.json",
        "path.filenameNormalized": "config.json",
        "path[0]": "cluster-config",
        "path[1]": "engineering",
        "path[2]": "dev",
        "path.segments": ["cluster-config", "engineering", "dev"],
      },
    ]);
  });

  it.each<[string, { path: string; exclude?: boolean }[], string[]]>([
    ["** matches any depth", [{ path: "cluster-config/**/config.*" }], ["engineering-dev", "engineering-prod"]],
    ["* stays in one directory", [{ path: "cluster-config/*/config.json" }], []],
    ["exact depth", [{ path: "cluster-config/*/*/config.yaml" }], ["engineering-prod"]],
    [
      "exclude wins",
      [{ path: "cluster-config/**/config.*" }, { path: "**/prod/*", exclude: true }],
      ["engineering-dev"],
    ],
  ])("%s", async (_, entries, expected) => {
    expect((await files(entries)).map((p) => p["cluster.name"])).toEqual(expected);
  });

  it("a file holding a list gives one parameter set per element; an empty file gives none", async () => {
    const params = await files([{ path: "cluster-config/*.yaml" }]);
    expect(params.map((p) => [p["app"], p["path"], p["path.filename"]])).toEqual([
      ["a", "cluster-config", "multi.yaml"],
      ["b", "cluster-config", "multi.yaml"],
    ]);
  });

  it("renders values with the file's params", async () => {
    const [p] = await generateParams(
      [
        {
          git: {
            repoURL: REPO,
            files: [{ path: "**/dev/config.json" }],
            values: { name: "{{cluster.name}}-{{path.basename}}" },
          },
        },
      ],
      context({ files: configs }),
    );
    expect(p?.["values.name"]).toBe("engineering-dev-dev");
  });

  it("keeps __proto__ and constructor keys from files as data", async () => {
    const [p] = await files([{ path: "evil.yaml" }], {
      "evil.yaml": "__proto__:\n  polluted: yes\nconstructor: c\nprototype: {x: 1}\n",
    });
    expect(Object.getPrototypeOf(p)).toBeNull();
    expect(p?.["__proto__.polluted"]).toBe("yes");
    expect(p?.["constructor"]).toBe("c");
    expect(p?.["prototype.x"]).toBe(1);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  const short = DEFAULT_COMMIT.slice(0, 12);
  it.each<[string, Record<string, string>, string]>([
    [
      "bad YAML",
      { "c/bad.yaml": "a: 1\nb: [2\nc: 3\n" },
      `spec.generators[0].git: ${REPO} at ${short}: c/bad.yaml: invalid YAML at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
    [
      "duplicate keys",
      { "c/dup.yaml": "a: 1\na: 2\n" },
      `spec.generators[0].git: ${REPO} at ${short}: c/dup.yaml: invalid YAML at line 2, column 1: Map keys must be unique`,
    ],
    [
      "a scalar document",
      { "c/s.yaml": "just text\n" },
      `spec.generators[0].git: ${REPO} at ${short}: c/s.yaml: the document must be a map of parameters`,
    ],
    [
      "a list with a scalar",
      { "c/l.yaml": "- a: 1\n- 2\n" },
      `spec.generators[0].git: ${REPO} at ${short}: c/l.yaml: element 1 must be a map of parameters`,
    ],
    [
      "an alias bomb",
      { "c/bomb.yaml": `a: &a [x, x]\n${Array.from({ length: 120 }, (_, i) => `k${i}: *a`).join("\n")}\n` },
      `spec.generators[0].git: ${REPO} at ${short}: c/bomb.yaml: Excessive alias count indicates a resource exhaustion attack`,
    ],
  ])("%s fails that file alone, naming repo, commit, file and line", async (_, repo, message) => {
    const good = { "c/good.yaml": "app: fine\n" };
    const params = await files([{ path: "c/*" }], { ...repo, ...good });
    const [file] = Object.keys(repo) as [string];
    const failed = params.find((p) => p["path.filename"] === file.slice(2));
    expect(sourceFailureOf(failed!)).toEqual({ source: `${REPO} at ${short}: ${file}`, message });
    // What is known without reading the file stays: its path params, for an Application name to render from.
    expect(failed?.["path"]).toBe("c");
    expect(Object.keys(failed!)).not.toContain("app");
    const fine = params.filter((p) => sourceFailureOf(p) === undefined);
    expect(fine.map((p) => p["app"])).toEqual(["fine"]);
  });

  it("a file too large to read fails the generation: a limit on reading, not a broken file", async () => {
    await expect(files([{ path: "c/*" }], { "c/huge.yaml": `a: ${"x".repeat(1024 * 1024)}` })).rejects.toThrow(
      `spec.generators[0].git: ${REPO} at ${short}: c/huge.yaml: 1048579 bytes; at most 1048576 allowed`,
    );
  });

  it("in a matrix, a failed file stands for its rows with every sibling's params", async () => {
    const params = await generateParams(
      [
        {
          matrix: {
            generators: [{ clusters: {} }, { git: { repoURL: REPO, files: [{ path: "apps/*/config.yaml" }] } }],
          },
        },
      ],
      context({
        clusters: [cluster("dev"), cluster("prod")],
        files: { "apps/web/config.yaml": "replicas: 2\n", "apps/api/config.yaml": "replicas: [2\n" },
      }),
    );
    const failed = params.filter((p) => sourceFailureOf(p) !== undefined);
    expect(failed.map((p) => [p["name"], p["path.basename"]])).toEqual([
      ["dev", "api"],
      ["prod", "api"],
    ]);
    expect(params.filter((p) => sourceFailureOf(p) === undefined).map((p) => [p["name"], p["replicas"]])).toEqual([
      ["dev", 2],
      ["prod", 2],
    ]);
  });
});
