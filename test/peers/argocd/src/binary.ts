import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where scripts/testbed/argocd.sh put the pinned Argo CD: its multi-call binary and its CRDs. */
export interface ArgoCdBinary {
  version: string;
  /** One binary; ARGOCD_BINARY_NAME picks the component it runs as. */
  binary: string;
  /** application-crd.yaml, applicationset-crd.yaml, appproject-crd.yaml from the module's manifests/crds. */
  crdFiles: string[];
  /**
   * The scripts Argo CD's image installs into /usr/local/bin (from the module's hack/), for the components' PATH: the
   * repo-server runs git-verify-wrapper.sh by name for every manifest it generates (signatures on or off) and turns a
   * failure to run it into a bare "permission denied".
   */
  scriptDir: string;
}

/** Argo CD is not built on this machine (or not where the environment points). */
export class ArgoCdMissingError extends Error {
  constructor(path: string) {
    super(`Argo CD binary missing at ${path}; run scripts/testbed/argocd.sh (or point FLOTILLA_ARGOCD at one)`);
    this.name = "ArgoCdMissingError";
  }
}

const versionsFile = fileURLToPath(new URL("../versions.env", import.meta.url));
const crdNames = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];
const scriptNames = ["git-verify-wrapper.sh", "gpg-wrapper.sh"];

/** ARGOCD_VERSION from test/peers/argocd/versions.env, the file the build script reads too. */
export function pinnedArgoCdVersion(): string {
  const match = /^ARGOCD_VERSION=(\S+)$/m.exec(readFileSync(versionsFile, "utf8"));
  if (!match?.[1]) throw new Error(`${versionsFile}: no ARGOCD_VERSION=… line`);
  return match[1];
}

/** The cached build, by the same rules as the script: $FLOTILLA_ARGOCD, else $FLOTILLA_CACHE/bin/argocd-<version>/. */
export function locateArgoCd(env: NodeJS.ProcessEnv = process.env): ArgoCdBinary {
  const version = pinnedArgoCdVersion();
  const cache = env["FLOTILLA_CACHE"] ?? join(homedir(), ".cache", "flotilla");
  const binary = env["FLOTILLA_ARGOCD"] ?? join(cache, "bin", `argocd-${version}`, "argocd");
  const crdDir = join(binary, "..", "crds");
  const scriptDir = join(binary, "..", "bin");
  return { version, binary, crdFiles: crdNames.map((name) => join(crdDir, name)), scriptDir };
}

/** locateArgoCd(), or throws ArgoCdMissingError when the binary or a CRD is not there. */
export function requireArgoCd(env: NodeJS.ProcessEnv = process.env): ArgoCdBinary {
  const found = locateArgoCd(env);
  try {
    accessSync(found.binary, constants.X_OK);
  } catch {
    throw new ArgoCdMissingError(found.binary);
  }
  const needed = [
    ...found.crdFiles.map((file) => [file, constants.R_OK] as const),
    ...scriptNames.map((name) => [join(found.scriptDir, name), constants.X_OK] as const),
  ];
  for (const [file, mode] of needed) {
    try {
      accessSync(file, mode);
    } catch {
      throw new ArgoCdMissingError(file);
    }
  }
  return found;
}
