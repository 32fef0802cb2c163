import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The scripts Argo CD's image installs into /usr/local/bin from its repository's hack/. The repo-server runs
 * git-verify-wrapper.sh by name on every GenerateManifest (signatures enabled or not) and turns a failure to execute
 * it into a bare "permission denied", so without them no Application ever gets manifests.
 */
export const imageScripts = ["git-verify-wrapper.sh", "gpg-wrapper.sh"] as const;

const sourceDir = fileURLToPath(new URL("../image-bin/", import.meta.url));

/** Copies the scripts into `dir` as executables (a checkout may have lost their mode) and returns `dir` for PATH. */
export function installImageScripts(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const name of imageScripts) {
    const target = join(dir, name);
    copyFileSync(join(sourceDir, name), target);
    chmodSync(target, 0o755);
  }
  return dir;
}
