import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness } from "@flotilla/api/testing";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { runCli } from "../testing/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "flotilla-import-"));
const repo = join(dir, "fleet");
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Argo CD's format, as users have it: goTemplate list, fasttemplate clusters, git directories with exclude. */
const corpus = () => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: guestbook, namespace: argocd}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - list:
      elements:
      - {cluster: dev-eu, env: Dev}
  template:
    metadata: {name: '{{.cluster}}-{{.env | lower}}-guestbook'}
    spec:
      project: default
      source: {repoURL: 'file://${repo}', targetRevision: HEAD, path: apps/web}
      destination: {name: '{{.cluster}}', namespace: guestbook}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: by-env}
spec:
  generators:
  - clusters: {selector: {matchLabels: {env: prod}}, values: {ns: 'web-{{metadata.labels.region}}'}}
  template:
    metadata: {name: '{{name}}-web', labels: {region: '{{metadata.labels.region}}'}}
    spec:
      source: {repoURL: 'file://${repo}', path: apps/web}
      destination: {server: '{{server}}', namespace: '{{values.ns}}'}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: dirs}
spec:
  goTemplate: true
  generators:
  - git:
      repoURL: 'file://${repo}'
      revision: HEAD
      directories: [{path: 'apps/*'}, {path: apps/legacy, exclude: true}]
  template:
    metadata: {name: '{{.path.basename}}-{{index .path.segments 0}}'}
    spec:
      source: {repoURL: 'file://${repo}', path: '{{.path.path}}'}
      destination: {name: dev-eu, namespace: '{{.path.basenameNormalized}}'}
`;

const CLUSTERS = `- {name: dev-eu, server: "https://dev-eu:6443", labels: {env: dev, region: eu}}
- {name: prod-eu, server: "https://prod-eu:6443", labels: {env: prod, region: eu}}
- {name: prod-us, server: "https://prod-us:6443", labels: {env: prod, region: us}}
`;

describeWithClusters("flotilla import (process; offline, and cluster Secrets through the real API)", (clusters) => {
  const api = apiHarness(testbedRedis().url);
  const admin = () => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.tokens.admin });

  beforeAll(() => {
    for (const app of ["web", "api", "legacy"]) {
      mkdirSync(join(repo, "apps", app), { recursive: true });
      writeFileSync(join(repo, "apps", app, "cm.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${app}}\n`);
    }
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "fleet");
  });

  it("converts a corpus, and appset preview accepts the result offline", async () => {
    const imported = await runCli(["import", file("corpus.yaml", corpus())]);
    expect(imported.stderr).toContain("converted 3 ApplicationSet(s) of 3 document(s)\n");
    expect(imported.stderr).toMatch(/note: .*corpus\.yaml:3:\d+: metadata\.namespace: dropped/);
    expect(imported.code).toBe(0);
    const docs = parseAllDocuments(imported.stdout).map((d) => d.toJS() as { metadata: { name: string } });
    expect(docs.map((d) => d.metadata.name)).toEqual(["guestbook", "by-env", "dirs"]);

    const out = file("flotilla.yaml", imported.stdout);
    const clustersFile = file("clusters.yaml", CLUSTERS);
    const preview = await runCli([
      "appset",
      "preview",
      out,
      "--clusters",
      clustersFile,
      "--allow-local-repos",
      "-o",
      "json",
    ]);
    expect(preview.stderr).toBe("");
    expect(preview.code).toBe(0);
    const apps = JSON.parse(preview.stdout) as {
      metadata: { name: string; labels: Record<string, string> };
      spec: { destination: { cluster: string; namespace: string } };
    }[];
    expect(
      apps.map((a) => `${a.metadata.name}@${a.spec.destination.cluster}/${a.spec.destination.namespace}`).sort(),
    ).toEqual([
      "api-apps@dev-eu/api",
      "dev-eu-dev-guestbook@dev-eu/guestbook",
      "prod-eu-web@prod-eu/web-eu",
      "prod-us-web@prod-us/web-us",
      "web-apps@dev-eu/web",
    ]);
    expect(apps.find((a) => a.metadata.name === "prod-us-web")!.metadata.labels["region"]).toBe("us");
  });

  it("reads stdin with -, prints JSON with -o json", async () => {
    const imported = await runCli(["import", "-", "-o", "json"], {}, { stdin: corpus() });
    expect(imported.code).toBe(0);
    expect((JSON.parse(imported.stdout) as unknown[]).length).toBe(3);
  });

  it("exit 1: a document that does not convert is named at its line and column; the others are still printed", async () => {
    const bad = `${corpus().split("---\n")[0]}---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: pr}
spec:
  goTemplate: true
  generators: [{pullRequest: {github: {owner: o, repo: r}}}]
  template:
    metadata: {name: 'pr-{{.number | sha1sum}}'}
    spec: {source: {repoURL: r, path: p}, destination: {name: c}}
`;
    const path = file("mixed.yaml", bad);
    const imported = await runCli(["import", path]);
    expect(imported.code).toBe(1);
    expect(
      parseAllDocuments(imported.stdout).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name),
    ).toEqual(["guestbook"]);
    expect(imported.stderr).toContain(
      `error: ${path}:23:17: spec.generators[0].pullRequest: the pull request generator has no Flotilla equivalent`,
    );
    expect(imported.stderr).toContain(
      `error: ${path}:25:26: spec.template.metadata.name: {{.number | sha1sum}}: the function sha1sum`,
    );
    expect(imported.stderr).toContain("1 document(s) did not convert");
  });

  it("exit 2: input that is not Argo CD prints nothing; so does a file that cannot be read", async () => {
    const path = file("broken.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec: [unclosed\n");
    const broken = await runCli(["import", path]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toMatch(new RegExp(`error: ${path}:\\d+:\\d+: invalid YAML`));
    const missing = await runCli(["import", join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yaml: cannot read file: no such file");
  });

  it("import clusters --out writes 0600 kubeconfigs and prints cluster add lines that register the cluster; --register registers directly", async () => {
    const [dev] = clusters;
    const kubeconfig = parse(dev!.kubeconfig) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
      users: { user: { token: string } }[];
    };
    const token = kubeconfig.users[0]!.user.token;
    const secret = (name: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}-secret
  namespace: argocd
  labels: {argocd.argoproj.io/secret-type: cluster, env: dev, region: eu}
stringData:
  name: ${name}
  server: ${dev!.apiUrl}
  config: '${JSON.stringify({ bearerToken: token, tlsClientConfig: { caData: kubeconfig.clusters[0]!.cluster["certificate-authority-data"] } })}'
`;
    const secrets = file("secrets.yaml", `${secret("argo-dev")}---\n${corpus().split("---\n")[0]}`);
    const out = join(dir, "kubeconfigs");
    const converted = await runCli(["import", "clusters", secrets, "--out", out]);
    expect(converted.code).toBe(0);
    const written = join(out, "argo-dev.kubeconfig");
    expect(converted.stdout).toBe(
      `flotilla cluster add argo-dev --kubeconfig ${written} --label env=dev --label region=eu\n`,
    );
    expect(converted.stderr).toContain("skipped: ");
    expect(converted.stderr).toContain('ApplicationSet "guestbook": convert it with flotilla import');
    expect(statSync(written).mode & 0o777).toBe(0o600);
    expect(`${converted.stdout}${converted.stderr}`).not.toContain(token);

    const line = converted.stdout.trim().split(" ").slice(1);
    const added = await runCli(line, admin());
    expect(added.stderr).toBe("");
    expect(added.stdout).toBe(`cluster "argo-dev" registered (pool, server ${dev!.apiUrl})\n`);

    const registered = await runCli(
      ["import", "clusters", file("s2.yaml", secret("argo-dev-2")), "--register"],
      admin(),
    );
    expect(registered.stderr).toContain("converted 1 cluster(s) of 1 document(s)");
    expect(registered.stdout).toBe(`cluster "argo-dev-2" registered (pool, server ${dev!.apiUrl})\n`);
    expect(registered.code).toBe(0);
    expect(`${registered.stdout}${registered.stderr}`).not.toContain(token);

    const listed = await runCli(["cluster", "list", "-o", "json"], admin());
    const items = JSON.parse(listed.stdout) as {
      name: string;
      server: string;
      labels: Record<string, string>;
      hasCredentials: boolean;
    }[];
    expect(
      items.filter((c) => c.name.startsWith("argo-dev")).map((c) => [c.name, c.server, c.labels, c.hasCredentials]),
    ).toEqual([
      ["argo-dev", dev!.apiUrl, { env: "dev", region: "eu" }, true],
      ["argo-dev-2", dev!.apiUrl, { env: "dev", region: "eu" }, true],
    ]);

    const neither = await runCli(["import", "clusters", secrets]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give --out DIR");
  });
});
