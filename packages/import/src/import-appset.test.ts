import { parseApplicationSets } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { importArgoCd } from "./import-file.ts";

const convert = (text: string) => importArgoCd({ file: "argo.yaml", text });
const only = (text: string) => {
  const result = convert(text);
  expect(result.issues).toEqual([]);
  expect(result.appSets).toHaveLength(1);
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into converted output whose shape they assert
  return result.appSets[0]!.appSet as Record<string, any>;
};
/** What Flotilla's own parser says of the output: every converted document must be accepted as it is. */
const acceptedByFlotilla = (appSet: unknown) => parseApplicationSets(stringify(appSet), "out.yaml");

const LIST = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://1.2.3.4
  template:
    metadata:
      name: '{{.cluster}}-guestbook'
      namespace: argocd
      finalizers: [resources-finalizer.argocd.argoproj.io]
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{.cluster}}
      destination:
        server: '{{.url}}'
        namespace: guestbook
      syncPolicy:
        automated: {prune: true, selfHeal: true}
        syncOptions: [CreateNamespace=true]
`;

describe("importArgoCd: ApplicationSets", () => {
  it("converts a goTemplate list generator, dropping Argo CD's namespace and finalizer with notes", () => {
    const result = convert(LIST);
    expect(result.issues).toEqual([]);
    expect(result.appSets[0]).toMatchObject({ name: "guestbook", file: "argo.yaml", line: 1 });
    expect(result.appSets[0]!.appSet).toEqual({
      apiVersion: "flotilla.dev/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "guestbook" },
      spec: {
        generators: [{ list: { elements: [{ cluster: "engineering-dev", url: "https://1.2.3.4" }] } }],
        template: {
          metadata: { name: "{{cluster}}-guestbook" },
          spec: {
            project: "default",
            source: {
              repoURL: "https://github.com/argoproj/argo-cd.git",
              targetRevision: "HEAD",
              path: "applicationset/examples/list-generator/guestbook/{{cluster}}",
            },
            destination: { server: "{{url}}", namespace: "guestbook" },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
          },
        },
      },
    });
    expect(result.notes.map((n) => `${n.line}:${n.path}`)).toEqual([
      "5:metadata.namespace",
      "17:spec.template.metadata.namespace",
      "18:spec.template.metadata.finalizers[0]",
    ]);
    expect(acceptedByFlotilla(result.appSets[0]!.appSet).issues).toEqual([]);
  });

  it("converts a fasttemplate clusters generator with selector and values, destination by name", () => {
    const appSet = only(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: by-cluster}
spec:
  generators:
  - clusters:
      selector:
        matchLabels: {env: prod}
        matchExpressions: [{key: region, operator: In, values: [eu, us]}]
      values:
        revision: 'release-{{metadata.labels.env}}'
  template:
    metadata:
      name: '{{name}}-app'
      labels: {env: '{{metadata.labels.env}}'}
    spec:
      source: {repoURL: https://git.example/fleet.git, targetRevision: '{{values.revision}}', path: app}
      destination: {name: '{{name}}', namespace: app}
`);
    expect(appSet.spec.generators).toEqual([
      {
        clusters: {
          selector: {
            matchLabels: { env: "prod" },
            matchExpressions: [{ key: "region", operator: "In", values: ["eu", "us"] }],
          },
          values: { revision: "release-{{metadata.labels.env}}" },
        },
      },
    ]);
    expect(appSet.spec.template.spec.destination).toEqual({ cluster: "{{name}}", namespace: "app" });
    expect(appSet.spec.template.metadata.labels).toEqual({ env: "{{metadata.labels.env}}" });
    expect(acceptedByFlotilla(appSet).issues).toEqual([]);
  });

  it("converts git directories with exclude and git files, under goTemplate's path names", () => {
    const appSet = only(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: dirs}
spec:
  goTemplate: true
  generators:
  - matrix:
      generators:
      - git:
          repoURL: https://git.example/fleet.git
          revision: HEAD
          directories: [{path: apps/*}, {path: apps/legacy, exclude: true}]
      - git:
          repoURL: https://git.example/fleet.git
          revision: HEAD
          files: [{path: '{{.path.path}}/config.json'}]
          pathParamPrefix: cfg
          requeueAfterSeconds: 30
  template:
    metadata: {name: '{{.path.basename}}-{{index .path.segments 0}}-{{.cfg.path.basename}}'}
    spec:
      source: {repoURL: https://git.example/fleet.git, path: '{{.path.path}}', directory: {recurse: true, exclude: '*.md'}}
      destination: {server: '{{.cluster.server}}', namespace: '{{.path.basenameNormalized}}'}
`);
    const [dirs, files] = appSet.spec.generators[0].matrix.generators;
    expect(dirs.git.directories).toEqual([{ path: "apps/*" }, { path: "apps/legacy", exclude: true }]);
    expect(files.git).toEqual({
      repoURL: "https://git.example/fleet.git",
      revision: "HEAD",
      files: [{ path: "{{path}}/config.json" }],
      pathParamPrefix: "cfg",
    });
    expect(appSet.spec.template.metadata.name).toBe("{{path.basename}}-{{path[0]}}-{{cfg.path.basename}}");
    expect(appSet.spec.template.spec.destination).toEqual({
      server: "{{cluster.server}}",
      namespace: "{{path.basenameNormalized}}",
    });
    expect(acceptedByFlotilla(appSet).issues).toEqual([]);
  });

  it("converts merge with goTemplate merge keys, templatePatch, RollingSync, helm and kustomize", () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: merged}
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
  - merge:
      mergeKeys: [server]
      generators:
      - clusters: {values: {replicas: "2"}}
      - list: {elements: [{server: https://prod:6443, values.replicas: "5"}]}
  template:
    metadata:
      name: '{{.name}}-web'
      labels: {env: '{{index .metadata.labels "env"}}'}
    spec:
      source:
        repoURL: https://git.example/fleet.git
        path: charts/web
        helm:
          releaseName: web
          valueFiles: ['values-{{.metadata.labels.env}}.yaml']
          parameters: [{name: replicas, value: '{{.values.replicas}}'}]
          valuesObject: {region: '{{default "eu" .metadata.labels.region}}'}
      destination: {server: '{{.server}}', namespace: web}
  templatePatch: |
    {{- if eq .name "prod" }}
    spec:
      syncPolicy:
        automated:
          prune: true
    {{- end }}
  syncPolicy: {preserveResourcesOnDeletion: true, applicationsSync: create-update}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
      - matchExpressions: [{key: env, operator: In, values: [dev]}]
      - matchExpressions: [{key: env, operator: In, values: [prod]}]
        maxUpdate: 10%
`;
    const appSet = only(text);
    expect(appSet.spec.generators[0].merge.mergeKeys).toEqual(["server"]);
    expect(appSet.spec.template.metadata.labels).toEqual({ env: "{{metadata.labels.env}}" });
    expect(appSet.spec.template.spec.source.helm).toEqual({
      releaseName: "web",
      valueFiles: ["values-{{metadata.labels.env}}.yaml"],
      parameters: [{ name: "replicas", value: "{{values.replicas}}" }],
      valuesObject: { region: '{{default metadata.labels.region "eu"}}' },
    });
    expect(appSet.spec.templatePatch).toBe(
      '{{#if (eq name "prod")}}\nspec:\n  syncPolicy:\n    automated:\n      prune: true{{/if}}\n',
    );
    expect(appSet.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true, applicationsSync: "create-update" });
    expect(appSet.spec.strategy.rollingSync.steps[1]).toEqual({
      matchExpressions: [{ key: "env", operator: "In", values: ["prod"] }],
      maxUpdate: "10%",
    });
    expect(acceptedByFlotilla(appSet).issues).toEqual([]);
  });

  it("turns a single-entry sources into source, and kustomize options over", () => {
    const appSet = only(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: kust}
spec:
  generators: [{list: {elements: [{env: dev}]}}]
  template:
    metadata: {name: 'kust-{{env}}'}
    spec:
      sources:
      - repoURL: https://git.example/fleet.git
        path: overlays/{{env}}
        kustomize: {namePrefix: '{{env}}-', images: ['web=web:{{env}}'], commonLabels: {env: '{{env}}'}}
      destination: {server: https://kubernetes.default.svc, namespace: '{{env}}'}
`);
    expect(appSet.spec.template.spec.source).toEqual({
      repoURL: "https://git.example/fleet.git",
      path: "overlays/{{env}}",
      kustomize: { namePrefix: "{{env}}-", images: ["web=web:{{env}}"], commonLabels: { env: "{{env}}" } },
    });
  });
});

const wrap = (spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: x}
spec:
${spec}`;
const TEMPLATE = `  template:
    metadata: {name: 'a-{{name}}'}
    spec:
      source: {repoURL: https://git.example/r.git, path: p}
      destination: {server: https://k:6443, namespace: n}
`;

describe("importArgoCd: what does not convert", () => {
  it.each([
    [
      wrap(`  generators: [{pullRequest: {github: {owner: o, repo: r}}}]\n${TEMPLATE}`),
      "unsupported",
      5,
      "spec.generators[0].pullRequest",
      "pull request generator",
    ],
    [
      wrap(`  generators: [{scmProvider: {}}]\n${TEMPLATE}`),
      "unsupported",
      5,
      "spec.generators[0].scmProvider",
      "SCM provider",
    ],
    [
      wrap(`  generators: [{plugin: {}}]\n${TEMPLATE}`),
      "unsupported",
      5,
      "spec.generators[0].plugin",
      "plugin generators",
    ],
    [
      wrap(`  generators: [{clusterDecisionResource: {}}]\n${TEMPLATE}`),
      "unsupported",
      5,
      "spec.generators[0].clusterDecisionResource",
      "cluster decision",
    ],
    [
      wrap(`  generators: [{list: {elements: []}, selector: {matchLabels: {a: b}}}]\n${TEMPLATE}`),
      "unsupported",
      5,
      "spec.generators[0].selector",
      "post-selector",
    ],
    [
      wrap(
        `  goTemplate: true\n  goTemplateOptions: [missingkey=zero]\n  generators: [{list: {elements: []}}]\n${TEMPLATE}`,
      ),
      "unsupported",
      6,
      "spec.goTemplateOptions[0]",
      "missingkey=error",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      project: team-a\n      source: {repoURL: r, path: p}\n      destination: {name: c}\n`,
      ),
      "unsupported",
      9,
      "spec.template.spec.project",
      "no AppProjects",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      source: {repoURL: r, chart: nginx}\n      destination: {name: c}\n`,
      ),
      "unsupported",
      9,
      "spec.template.spec.source.chart",
      "Helm repository charts",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      sources: [{repoURL: r, path: a}, {repoURL: r, path: b}]\n      destination: {name: c}\n`,
      ),
      "unsupported",
      9,
      "spec.template.spec.sources",
      "2 sources",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      source: {repoURL: r, path: p}\n      destination: {name: c}\n      syncPolicy: {syncOptions: [ServerSideApply=false]}\n`,
      ),
      "unsupported",
      11,
      "spec.template.spec.syncPolicy.syncOptions[0]",
      "Flotilla refuses the converted value",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      source: {repoURL: r, path: p}\n      destination: {name: c}\n      ignoreDifferences: []\n`,
      ),
      "unsupported",
      11,
      "spec.template.spec.ignoreDifferences",
      "ignoreDifferences",
    ],
    [
      wrap(`  generators: [{list: {elements: []}}]\n  templatePatch: "x"\n${TEMPLATE}`),
      "invalid",
      6,
      "spec.templatePatch",
      "only with goTemplate",
    ],
    [
      wrap(`  generators: [{list: {elements: []}}]\n  tempalte: {}\n${TEMPLATE}`),
      "invalid",
      6,
      "spec.tempalte",
      "unknown field",
    ],
    [
      wrap(`  generators: [{list: {elements: []}}]\n  syncPolicy: {applicationsSync: all}\n${TEMPLATE}`),
      "invalid",
      6,
      "spec.syncPolicy.applicationsSync",
      "expected one of",
    ],
    [
      wrap(
        `  generators: [{list: {elements: []}}]\n  template:\n    metadata: {name: a}\n    spec:\n      source: {repoURL: r, path: p}\n      destination: {server: s, name: c}\n`,
      ),
      "invalid",
      10,
      "spec.template.spec.destination",
      "exclude each other",
    ],
    [
      `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: my.appset}\nspec:\n  generators: [{list: {elements: []}}]\n${TEMPLATE}`,
      "unsupported",
      3,
      "metadata.name",
      "DNS-1123 label",
    ],
  ])("%#: %s", (text, kind, line, path, message) => {
    const result = convert(text);
    expect(result.appSets).toEqual([]);
    expect(result.issues[0]).toMatchObject({ kind, line, path, file: "argo.yaml" });
    expect(result.issues[0]!.message).toContain(message);
  });

  it("names the line and column of an unconvertible expression inside a block scalar", () => {
    const text = wrap(`  goTemplate: true
  generators: [{list: {elements: [{a: b}]}}]
  template:
    metadata: {name: 'x-{{.a}}'}
    spec:
      source: {repoURL: r, path: p}
      destination: {name: c}
  templatePatch: |
    spec:
      source:
        path: '{{ .a | sha1sum }}'
`);
    const result = convert(text);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ kind: "unsupported", line: 15, column: 16, path: "spec.templatePatch" });
    expect(result.issues[0]!.message).toContain("{{ .a | sha1sum }}: the function sha1sum has no Flotilla equivalent");
  });

  it("names the column of an expression in a one-line string", () => {
    const text = wrap(
      `  goTemplate: true\n  generators: [{list: {elements: [{a: b}]}}]\n  template:\n    metadata: {name: 'x-{{ .a }}-{{ printf "%s" .a }}'}\n    spec:\n      source: {repoURL: r, path: p}\n      destination: {name: c}\n`,
    );
    const issue = convert(text).issues[0]!;
    expect(`${issue.line}:${issue.column}`).toBe("8:34");
    expect(issue.message).toContain("printf");
  });

  it("keeps converting the other documents of a file", () => {
    const text = `${LIST}---\n${wrap(`  generators: [{plugin: {}}]\n${TEMPLATE}`)}---\n${LIST.replace("name: guestbook", "name: guestbook-2")}`;
    const result = convert(text);
    expect(result.documents).toBe(3);
    expect(result.appSets.map((a) => `${a.name}@${a.line}`)).toEqual(["guestbook@1", "guestbook-2@43"]);
    expect(result.issues).toHaveLength(1);
    const pluginLine = text.split("\n").findIndex((l) => l.includes("plugin")) + 1;
    expect(result.issues[0]!.line).toBe(pluginLine);
  });
});

describe("importArgoCd: hostile input", () => {
  it.each([
    ["not: [yaml", "invalid YAML"],
    ["- a\n- b\n", "expected an Argo CD ApplicationSet or cluster Secret, got a list"],
    ["just text", "got string"],
    [
      "apiVersion: apps/v1\nkind: Deployment\n",
      "expected an Argo CD ApplicationSet (argoproj.io/v1alpha1) or cluster Secret",
    ],
    ["apiVersion: argoproj.io/v1beta9\nkind: ApplicationSet\n", "expected argoproj.io/v1alpha1"],
    [`a: &a [1]\nb: ${"[*a, ".repeat(1)}*a]\n`, "expected an Argo CD"],
    [`${"[".repeat(200)}${"]".repeat(200)}`, "nesting is deeper than"],
    ["a: 1\na: 2\n", "invalid YAML"],
  ])("%s is an input error", (text, message) => {
    const result = convert(text);
    expect(result.appSets).toEqual([]);
    expect(result.issues[0]!.kind).toBe("invalid");
    expect(result.issues[0]!.message).toContain(message);
  });

  it("an Argo CD Application or AppProject is valid but does not convert", () => {
    const result = convert("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n");
    expect(result.issues[0]).toMatchObject({ kind: "unsupported", path: "kind" });
  });

  it("keeps __proto__ keys as data in labels and list elements", () => {
    const appSet = only(
      wrap(`  generators: [{list: {elements: [{__proto__: {polluted: true}, name: a}]}}]
  template:
    metadata: {name: 'a-{{name}}', labels: {__proto__: x}}
    spec:
      source: {repoURL: https://git.example/r.git, path: p}
      destination: {server: https://k:6443, namespace: n}
`),
    );
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.hasOwn(appSet.spec.template.metadata.labels, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(appSet.spec.template.metadata.labels)).toBe(Object.prototype);
  });

  it("refuses template injection through the template text rather than running it", () => {
    const result = convert(
      wrap(`  generators: [{list: {elements: [{name: a}]}}]
  template:
    metadata: {name: '{{name}}{{#each (lookup this "constructor")}}x{{/each}}'}
    spec:
      source: {repoURL: r, path: p}
      destination: {name: c}
`),
    );
    expect(result.appSets).toEqual([]);
    expect(result.issues[0]).toMatchObject({ kind: "unsupported", line: 7 });
    expect(result.issues[0]!.message).toContain("not a parameter name");
  });

  it("handles a huge string and many documents", () => {
    const big = wrap(`  generators: [{list: {elements: [{v: "${"x".repeat(60_000)}"}]}}]\n${TEMPLATE}`);
    expect(convert(big).appSets).toHaveLength(1);
    const huge = convert(wrap(`  generators: [{list: {elements: [{v: "${"x".repeat(200_000)}"}]}}]\n${TEMPLATE}`));
    expect(huge.appSets).toEqual([]);
    expect(huge.issues[0]).toMatchObject({ kind: "unsupported", path: "spec.generators[0].list.elements[0].v" });
    expect(huge.issues[0]!.message).toContain("Flotilla refuses the converted value");
    const many = Array.from({ length: 200 }, (_, i) => LIST.replace("name: guestbook", `name: g${i}`)).join("---\n");
    expect(convert(many).appSets).toHaveLength(200);
  });
});
