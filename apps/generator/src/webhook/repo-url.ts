/**
 * A repository URL reduced to host and path, so that `https://Git.Example/org/fleet.git`,
 * `git@git.example:org/fleet` and `ssh://git@git.example/org/fleet.git/` all name the same repository.
 */
export function repoKey(url: string): string {
  let u = url.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.*)$/.exec(u);
  if (scp) u = `ssh://${scp[1]}/${scp[2]}`;
  let host = "";
  let path = u;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?(\/.*)?$/i.exec(u);
  if (m) {
    host = m[1]!.toLowerCase();
    path = m[2] ?? "";
  }
  path = path
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
  return `${host}${path.startsWith("/") ? "" : "/"}${path}`;
}

/** Whether a push to `ref` concerns a tracked `revision` (a branch or tag name, or a full ref). */
export function refMatches(ref: string, revision: string): boolean {
  if (revision === "HEAD") return true;
  return ref === revision || ref === `refs/heads/${revision}` || ref === `refs/tags/${revision}`;
}
