import { describe, expect, it } from "vitest";
import { formatIssue } from "./errors/validation-error.ts";
import { handlebarsFormOf } from "./go-template.ts";
import { parseApplicationSets } from "./parse-appset.ts";
import { defaultSyncOptions, syncOptionsOf } from "./sync-options.ts";

// Line numbers below count from this text: `spec:` is line 5, `template:` line 10, its `spec:` line 13.
const base = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - list:
        elements:
          - cluster: dev
  template:
    metadata:
      name: "guestbook-{{cluster}}"
    spec:
      source:
        repoURL: https://git.example/fleet.git
        path: apps/guestbook
      destination:
        cluster: "{{cluster}}"
        namespace: guestbook
`;

/** `base` with `lines` added under the template's `spec:` (4 spaces deep). */
const inTemplateSpec = (lines: string) => base.replace("    spec:\n", `    spec:\n${lines}`);
/** `base` with `lines` added under the ApplicationSet's `spec:` (2 spaces deep). */
const inSpec = (lines: string) => base.replace("spec:\n  generators:", `spec:\n${lines}  generators:`);

function errorsOf(text: string): string[] {
  const { appSets, issues } = parseApplicationSets(text, "fleet/appset.yaml");
  if (issues.length > 0) expect(appSets).toEqual([]);
  return issues.map(formatIssue);
}

const cases: { name: string; text: string; errors: string[] }[] = [
  {
    name: "goTemplate: true shows the Handlebars form of the first Go expression ({{.name}})",
    text: inSpec("  goTemplate: true\n").replace('"guestbook-{{cluster}}"', '"guestbook-{{.name}}"'),
    errors: [
      "fleet/appset.yaml:6:3: spec.goTemplate: Go templates are not supported: Flotilla's templates are Handlebars; remove goTemplate and write {{.name}} as {{name}}",
    ],
  },
  {
    name: "goTemplate: true with index on labels",
    text: inSpec("  goTemplate: true\n").replace(
      'cluster: "{{cluster}}"',
      "cluster: '{{index .metadata.labels \"env\"}}'",
    ),
    errors: [
      'fleet/appset.yaml:6:3: spec.goTemplate: Go templates are not supported: Flotilla\'s templates are Handlebars; remove goTemplate and write {{index .metadata.labels "env"}} as {{metadata.labels.env}}',
    ],
  },
  {
    name: "goTemplate: true without any Go expression still says how parameters are written",
    text: inSpec("  goTemplate: true\n"),
    errors: [
      "fleet/appset.yaml:6:3: spec.goTemplate: Go templates are not supported: Flotilla's templates are Handlebars; remove goTemplate and parameters are written {{name}}, {{metadata.labels.env}}, {{path.basename}}",
    ],
  },
  {
    name: "RollingSync without steps",
    text: inSpec("  strategy:\n    type: RollingSync\n"),
    errors: [
      "fleet/appset.yaml:7:5: spec.strategy.type: strategy.type RollingSync needs spec.strategy.rollingSync.steps (each with matchExpressions on Application labels); add them, or write type: AllAtOnce",
    ],
  },
  ...(
    [
      ["half", 11, '"half"'],
      ['"150%"', 11, '"150%"'],
      ['"-1"', 11, '"-1"'],
      ["abc", 11, '"abc"'],
      ['"2"', 11, '"2"'],
      ['"5.5%"', 11, '"5.5%"'],
    ] as const
  ).map(([written, line, shown]) => ({
    name: `maxUpdate ${written}`,
    text: inSpec(
      `  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - matchExpressions: []\n          maxUpdate: ${written}\n`,
    ),
    errors: [
      `fleet/appset.yaml:${line}:11: spec.strategy.rollingSync.steps[0].maxUpdate: ${shown} is neither a number of Applications nor a percentage from 0% to 100%; write an integer like 2 (0 makes the step a manual gate) or a percentage like 25%`,
    ],
  })),
  {
    name: "RollingSync with an empty step list",
    text: inSpec("  strategy:\n    type: RollingSync\n    rollingSync:\n      steps: []\n"),
    errors: ["fleet/appset.yaml:9:7: spec.strategy.rollingSync.steps: Too small: expected array to have >=1 items"],
  },
  {
    name: "a negative and a fractional maxUpdate",
    text: inSpec(
      "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - { matchExpressions: [], maxUpdate: -1 }\n        - { matchExpressions: [], maxUpdate: 1.5 }\n",
    ),
    errors: [
      "fleet/appset.yaml:10:35: spec.strategy.rollingSync.steps[0].maxUpdate: -1 is neither a number of Applications nor a percentage from 0% to 100%; write an integer like 2 (0 makes the step a manual gate) or a percentage like 25%",
      "fleet/appset.yaml:11:35: spec.strategy.rollingSync.steps[1].maxUpdate: 1.5 is neither a number of Applications nor a percentage from 0% to 100%; write an integer like 2 (0 makes the step a manual gate) or a percentage like 25%",
    ],
  },
  {
    name: "In without values, Exists with values, a templated value",
    text: inSpec(
      '  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - matchExpressions: [{ key: env, operator: In, values: [] }]\n        - matchExpressions: [{ key: env, operator: Exists, values: [x] }]\n        - matchExpressions: [{ key: env, operator: In, values: ["{{env}}"] }]\n',
    ),
    errors: [
      "fleet/appset.yaml:10:56: spec.strategy.rollingSync.steps[0].matchExpressions[0].values: operator In needs at least one value; list the label values to match",
      "fleet/appset.yaml:11:60: spec.strategy.rollingSync.steps[1].matchExpressions[0].values: operator Exists takes no values; remove values",
      "fleet/appset.yaml:12:56: spec.strategy.rollingSync.steps[2].matchExpressions[0].values: step selectors are not templates: they match the labels of the rendered Applications; write the label values themselves",
    ],
  },
  {
    name: "rollingSync steps under AllAtOnce",
    text: inSpec("  strategy:\n    type: AllAtOnce\n    rollingSync:\n      steps:\n        - matchExpressions: []\n"),
    errors: [
      "fleet/appset.yaml:8:5: spec.strategy.rollingSync: rollingSync steps apply only to strategy.type RollingSync; remove spec.strategy.rollingSync",
    ],
  },
  {
    name: "a project other than default",
    text: inTemplateSpec("      project: payments\n"),
    errors: [
      'fleet/appset.yaml:14:7: spec.template.spec.project: "payments": Flotilla has no AppProjects, so only "default" is accepted; remove spec.project or write "default"',
    ],
  },
  {
    name: "finalizers on the template",
    text: base.replace(
      "    metadata:\n",
      "    metadata:\n      finalizers: [resources-finalizer.argocd.argoproj.io]\n",
    ),
    errors: [
      "fleet/appset.yaml:12:7: spec.template.metadata.finalizers: Flotilla deletes an Application's objects through its deletion guard when the Application leaves its ApplicationSet, not through finalizers; remove metadata.finalizers (to keep the objects, set the ApplicationSet's spec.syncPolicy.preserveResourcesOnDeletion: true)",
    ],
  },
  {
    name: "a namespace on the template's metadata",
    text: base.replace("    metadata:\n", "    metadata:\n      namespace: argocd\n"),
    errors: [
      "fleet/appset.yaml:12:7: spec.template.metadata.namespace: an Application is not a Kubernetes object in Flotilla, so it has no namespace; remove metadata.namespace (the namespace of what it deploys is spec.destination.namespace)",
    ],
  },
  {
    name: "a namespace on the ApplicationSet's metadata",
    text: base.replace("  name: guestbook\n", "  name: guestbook\n  namespace: argocd\n"),
    errors: [
      "fleet/appset.yaml:5:3: metadata.namespace: an ApplicationSet is read from Git, not from a namespace; remove metadata.namespace (its name alone identifies it)",
    ],
  },
  {
    name: "a chart from a Helm repository",
    text: base.replace("        path: apps/guestbook\n", "        chart: guestbook\n"),
    errors: [
      "fleet/appset.yaml:16:9: spec.template.spec.source.chart: charts from Helm repositories are not supported (a commit must pin what is deployed); commit the chart to Git, remove source.chart and point source.path at the directory holding its Chart.yaml",
    ],
  },
  {
    name: "an unknown sync option lists the supported ones",
    text: inTemplateSpec("      syncPolicy:\n        syncOptions: [CreateNamespace=true, FailOnSharedResource=true]\n"),
    errors: [
      'fleet/appset.yaml:15:45: spec.template.spec.syncPolicy.syncOptions[1]: "FailOnSharedResource=true" is not a supported sync option; supported: CreateNamespace=true, CreateNamespace=false, Prune=false, Prune=true, Validate=true, PrunePropagationPolicy=foreground, PrunePropagationPolicy=background, PrunePropagationPolicy=orphan, PruneLast=true, ServerSideApply=true, Replace=false, ApplyOutOfSyncOnly=false',
    ],
  },
  {
    name: "a sync option Flotilla cannot honour says why",
    text: inTemplateSpec(
      "      syncPolicy:\n        syncOptions:\n          - Replace=true\n          - ServerSideApply=false\n          - Validate=false\n",
    ),
    errors: [
      'fleet/appset.yaml:16:13: spec.template.spec.syncPolicy.syncOptions[0]: "Replace=true": Flotilla never replaces objects (it applies server-side); remove it',
      'fleet/appset.yaml:17:13: spec.template.spec.syncPolicy.syncOptions[1]: "ServerSideApply=false": Flotilla always applies server-side; remove it',
      `fleet/appset.yaml:18:13: spec.template.spec.syncPolicy.syncOptions[2]: "Validate=false": not supported: a server-side apply checks every field against the API server's schema whatever this option says; remove it and fix the manifest`,
    ],
  },
  {
    name: "a retry duration that is not a duration",
    text: inTemplateSpec(
      "      syncPolicy:\n        retry:\n          limit: 3\n          backoff: { duration: 5 seconds, maxDuration: '180' }\n",
    ),
    errors: [
      'fleet/appset.yaml:17:22: spec.template.spec.syncPolicy.retry.backoff.duration: "5 seconds" is not a duration; write a whole number with a unit, like 500ms, 30s, 3m, 1h, 1h30m or 7d',
      'fleet/appset.yaml:17:43: spec.template.spec.syncPolicy.retry.backoff.maxDuration: "180" has no unit; write 180s for seconds or 180ms for milliseconds',
    ],
  },
  {
    name: "a retry factor below 1",
    text: inTemplateSpec("      syncPolicy:\n        retry:\n          backoff: { duration: 1m, factor: 0.5 }\n"),
    errors: [
      "fleet/appset.yaml:16:36: spec.template.spec.syncPolicy.retry.backoff.factor: 0.5 is not a number of at least 1",
    ],
  },
  {
    name: "a retry maxDuration shorter than the duration",
    text: inTemplateSpec("      syncPolicy:\n        retry:\n          backoff: { duration: 5m, maxDuration: 1m }\n"),
    errors: [
      "fleet/appset.yaml:16:36: spec.template.spec.syncPolicy.retry.backoff.maxDuration: is shorter than backoff.duration; write a maxDuration of at least 5m",
    ],
  },
];

describe("fields the schema knows but Flotilla cannot honour are refused, with where and what to write", () => {
  it.each(cases)("$name", ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors);
  });
});

describe("what is accepted", () => {
  it.each([
    ["goTemplate: false", inSpec("  goTemplate: false\n")],
    ["strategy AllAtOnce", inSpec("  strategy: { type: AllAtOnce }\n")],
    [
      "RollingSync with integer, percentage, gate and default maxUpdate",
      inSpec(
        "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps:\n        - { matchExpressions: [{ key: env, operator: In, values: [dev] }], maxUpdate: 1 }\n        - { matchExpressions: [{ key: env, operator: In, values: [staging] }], maxUpdate: 25% }\n        - { matchExpressions: [{ key: env, operator: In, values: [prod] }], maxUpdate: 0 }\n        - { matchExpressions: [{ key: canary, operator: Exists }] }\n",
      ),
    ],
    ["project default", inTemplateSpec("      project: default\n")],
    ["a templated project (checked once rendered)", inTemplateSpec('      project: "{{cluster}}"\n')],
    [
      "every supported sync option",
      inTemplateSpec(
        "      syncPolicy:\n        syncOptions: [CreateNamespace=true, Prune=false, PruneLast=true, ServerSideApply=true, Replace=false, Validate=true, PrunePropagationPolicy=orphan, ApplyOutOfSyncOnly=false]\n",
      ),
    ],
    [
      "a full retry block",
      inTemplateSpec(
        "      syncPolicy:\n        retry: { limit: 2, backoff: { duration: 500ms, factor: 3, maxDuration: 1h30m } }\n",
      ),
    ],
    [
      "labels and annotations on the template",
      base.replace("    metadata:\n", "    metadata:\n      labels: { team: a }\n      annotations: { note: b }\n"),
    ],
  ])("%s", (_name, text) => {
    const { appSets, issues } = parseApplicationSets(text, "a.yaml");
    expect(issues.map(formatIssue)).toEqual([]);
    expect(appSets).toHaveLength(1);
  });
});

describe("handlebarsFormOf", () => {
  it.each([
    ["{{.name}}", "{{name}}"],
    ["{{ .path.basename }}", "{{path.basename}}"],
    ['{{index .metadata.labels "env"}}', "{{metadata.labels.env}}"],
    ["{{- .server -}}", "{{server}}"],
    ["{{ .name | lower }}", "{{name | lower}}"],
    ["{{name}}", undefined],
    ["{{metadata.labels.env}}", undefined],
  ])("%s → %s", (go, handlebars) => {
    expect(handlebarsFormOf(go)).toBe(handlebars);
  });
});

describe("syncOptionsOf", () => {
  it("reads what each supported entry sets; later entries win", () => {
    expect(syncOptionsOf(undefined)).toEqual(defaultSyncOptions());
    expect(
      syncOptionsOf(["CreateNamespace=true", "Prune=false", "PrunePropagationPolicy=orphan", "PruneLast=true"]),
    ).toEqual({ createNamespace: true, prune: false, prunePropagationPolicy: "Orphan" });
    expect(syncOptionsOf(["Prune=false", "Prune=true"]).prune).toBe(true);
  });
});

describe("Argo CD fields without a counterpart say what to write instead of a bare unknown field", () => {
  it("goTemplateOptions", () => {
    expect(errorsOf(inSpec('  goTemplateOptions: ["missingkey=error"]\n'))).toEqual([
      'fleet/appset.yaml:6:3: spec.goTemplateOptions: unknown field "goTemplateOptions": Go templates are not supported (templates are Handlebars); remove it',
    ]);
  });

  it("sources (multi-source Applications)", () => {
    expect(errorsOf(inTemplateSpec("      sources: []\n"))).toEqual([
      'fleet/appset.yaml:14:7: spec.template.spec.sources: unknown field "sources": an Application has one source; write it as source',
    ]);
  });
});
