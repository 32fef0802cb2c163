import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The demo's fleet repository: a real Git repository holding the example apps and one ApplicationSet that puts
 * every app on every cluster. Its own path is its repoURL, so everything stays on this machine.
 */
export function createFleetRepo(dir: string, examplesDir: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(examplesDir, "fleet", "apps"), join(dir, "apps"), { recursive: true });
  mkdirSync(join(dir, "appsets"), { recursive: true });
  writeFileSync(join(dir, "appsets", "fleet.yaml"), appSet(dir));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "flotilla demo",
        GIT_AUTHOR_EMAIL: "demo@flotilla.dev",
        GIT_COMMITTER_NAME: "flotilla demo",
        GIT_COMMITTER_EMAIL: "demo@flotilla.dev",
      },
    });
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("commit", "--quiet", "-m", "fleet: guestbook and podinfo on every cluster");
  return dir;
}

function appSet(repo: string): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: fleet }
spec:
  generators:
    - matrix:
        generators:
          - git: { repoURL: ${repo}, revision: main, directories: [ { path: "apps/*" } ] }
          - clusters: {}
  template:
    metadata: { name: "{{path.basename}}-{{name}}" }
    spec:
      source: { repoURL: ${repo}, targetRevision: main, path: "{{path}}" }
      destination: { cluster: "{{name}}", namespace: "{{path.basename}}" }
      syncPolicy:
        automated: { prune: true, selfHeal: true }
        syncOptions: [ CreateNamespace=true ]
`;
}
