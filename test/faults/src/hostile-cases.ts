import { appSetYaml, configMapYaml } from "./fixtures.ts";

export interface HostileContext {
  /** The fleet's label value and the repository's own path (fleet and source repository are one here). */
  fleet: string;
  repo: string;
  namespace: string;
}

export interface HostileCase {
  id: string;
  /** What the commit does, for the table. */
  title: string;
  /** Files the commit puts over the healthy tree (same path: replaced). */
  files: (ctx: HostileContext) => Record<string, string>;
  /** A symlink the commit adds, `path` → `target`. */
  symlink?: { path: string; target: string };
  /** Each must match the problems shown for the victim ApplicationSet: the file, line, field, what was expected. */
  expect: RegExp[];
}

export const VICTIM = "victim";

const victimAppSet = (ctx: HostileContext, patch: { name?: string; path?: string } = {}) =>
  appSetYaml({
    name: VICTIM,
    fleet: ctx.fleet,
    repo: ctx.repo,
    path: patch.path ?? "apps/victim",
    namespace: ctx.namespace,
  }).replace(`"${VICTIM}-{{name}}"`, patch.name ?? `"${VICTIM}-{{name}}"`);

/** The victim's healthy tree: an ApplicationSet and its source, which every case breaks one way. */
export const victimFiles = (ctx: HostileContext) => ({
  [`appsets/${VICTIM}.yaml`]: victimAppSet(ctx),
  "apps/victim/cm.yaml": configMapYaml("victim", { state: "good" }),
});

/**
 * The hostile corpus as commits, the cases of the package tests (packages/core parse-appset, packages/template,
 * packages/render, packages/git) pushed through the running system instead of a function call.
 */
export const hostileCases: HostileCase[] = [
  {
    id: "malformed-yaml",
    title: "an ApplicationSet file that is not YAML (an unclosed flow map)",
    files: () => ({
      [`appsets/${VICTIM}.yaml`]: `apiVersion: flotilla.dev/v1alpha1\nkind: ApplicationSet\nmetadata: { name: ${VICTIM}\nspec: {}\n`,
    }),
    expect: [/appsets\/victim\.yaml:\d+:\d+/],
  },
  {
    id: "template-error",
    title: "a template naming a parameter no generator gives (`{{nosuch}}`)",
    files: (ctx) => ({ [`appsets/${VICTIM}.yaml`]: victimAppSet(ctx, { name: `"{{nosuch}}-{{name}}"` }) }),
    expect: [/nosuch/, /metadata\.name/],
  },
  {
    id: "bad-field",
    title: "a manifest with a field of the wrong type (`spec.replicas: many`)",
    files: () => ({
      "apps/victim/bad.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: { name: bad }
spec:
  replicas: many
  selector: { matchLabels: { app: bad } }
  template:
    metadata: { labels: { app: bad } }
    spec: { containers: [ { name: web, image: "registry.invalid/web:1" } ] }
`,
    }),
    expect: [/replicas/],
  },
  {
    id: "huge-file",
    title: "a 9 MiB manifest in the source",
    files: () => ({ "apps/victim/huge.yaml": `# ${"x".repeat(9 * 1024 * 1024)}\n` }),
    expect: [/huge\.yaml/, /bytes/],
  },
  {
    id: "symlink-escape",
    title: "a symlink in the source pointing out of the repository (/etc/passwd)",
    files: () => ({}),
    symlink: { path: "apps/victim/escape.yaml", target: "/etc/passwd" },
    expect: [/escape\.yaml/],
  },
  {
    id: "proto-key",
    title: "a `__proto__` key in the ApplicationSet",
    files: (ctx) => ({
      [`appsets/${VICTIM}.yaml`]: victimAppSet(ctx).replace("spec:\n", "spec:\n  __proto__: { polluted: true }\n"),
    }),
    expect: [/appsets\/victim\.yaml:\d+:\d+/, /__proto__/],
  },
  {
    id: "path-traversal",
    title: "a source path climbing out of the repository (`../../etc`)",
    files: (ctx) => ({ [`appsets/${VICTIM}.yaml`]: victimAppSet(ctx, { path: "../../etc" }) }),
    expect: [/\.\.\/\.\.\/etc|path/],
  },
];
