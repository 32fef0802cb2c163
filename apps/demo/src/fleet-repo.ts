import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The ApplicationSets the demo's fleet repository holds, one per kind of source, each a clusters × git matrix. */
export const DEMO_APPSETS = ["plain", "kustomize", "helm"] as const;

/** The Applications the demo's ApplicationSets make on every cluster: `<app>-<cluster>`. */
export const DEMO_APPS = ["guestbook", "podinfo", "echo"] as const;

/** The demo's own repository, its path doubling as its repoURL: everything stays on this machine. */
export class FleetRepo {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Rewrites `file` (a path in the repository) with `edit` and commits it; returns the new commit id. */
  commitEdit(options: { file: string; edit: (text: string) => string; message: string }): string {
    const path = join(this.dir, options.file);
    const before = readFileSync(path, "utf8");
    const after = options.edit(before);
    if (after === before) throw new Error(`the edit of ${options.file} changed nothing`);
    writeFileSync(path, after);
    this.git("add", "--", options.file);
    this.git("commit", "--quiet", "-m", options.message);
    return this.git("rev-parse", "HEAD").trim();
  }

  git(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_AUTHOR_NAME: "flotilla demo",
        GIT_AUTHOR_EMAIL: "demo@flotilla.dev",
        GIT_COMMITTER_NAME: "flotilla demo",
        GIT_COMMITTER_EMAIL: "demo@flotilla.dev",
      },
    });
  }
}

/**
 * The demo's fleet repository: a real Git repository holding `examples/fleet` (plain YAML under apps/, a Kustomize
 * base with one overlay per environment under kustomize/, a local Helm chart with values per cluster under charts/)
 * and three ApplicationSets, each a matrix of the registered clusters × directories of this repository.
 */
export function createFleetRepo(dir: string, examplesDir: string): FleetRepo {
  mkdirSync(dir, { recursive: true });
  cpSync(join(examplesDir, "fleet"), dir, { recursive: true });
  mkdirSync(join(dir, "appsets"), { recursive: true });
  for (const [name, text] of Object.entries(appSets(dir))) writeFileSync(join(dir, "appsets", `${name}.yaml`), text);
  const repo = new FleetRepo(dir);
  repo.git("init", "--quiet", "--initial-branch=main");
  repo.git("add", "-A");
  repo.git("commit", "--quiet", "-m", "fleet: guestbook (YAML), podinfo (Kustomize) and echo (Helm) on every cluster");
  return repo;
}

const syncPolicy = `      syncPolicy:
        automated: { prune: true, selfHeal: true }
        syncOptions: [ CreateNamespace=true ]
`;

/** The ApplicationSets by name; `repo` is their repoURL. */
export function appSets(repo: string): Record<(typeof DEMO_APPSETS)[number], string> {
  const head = (name: string, comment: string) => `# ${comment}
apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: ${name} }
spec:
  generators:
    - matrix:
        generators:
          - clusters: {}
`;
  return {
    plain: `${head("plain", "Every directory of plain YAML under apps/ on every cluster.")}          - git: { repoURL: ${repo}, revision: main, directories: [ { path: "apps/*" } ] }
  template:
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: ${repo}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "{{path.basename}}" }
${syncPolicy}`,
    kustomize: `${head("kustomize", "Every Kustomize app on every cluster, through the overlay of the cluster's env label.")}          - git: { repoURL: ${repo}, revision: main, directories: [ { path: "kustomize/*/overlays/{{metadata.labels.env}}" } ] }
  template:
    metadata: { name: "{{path[1]}}-{{name}}" }
    spec:
      source: { repoURL: ${repo}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "{{path[1]}}" }
${syncPolicy}`,
    helm: `${head("helm", "Every chart under charts/ on every cluster, with that cluster's values file.")}          - git: { repoURL: ${repo}, revision: main, directories: [ { path: "charts/*" } ] }
  template:
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source:
        repoURL: ${repo}
        targetRevision: main
        path: "{{path}}"
        helm: { valueFiles: [ "values/{{name}}.yaml" ] }
      destination: { cluster: "{{name}}", namespace: "{{path.basename}}" }
${syncPolicy}`,
  };
}
