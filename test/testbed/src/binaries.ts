import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute paths of the executables the test bed runs. */
export interface TestbedBinaries {
  kubeApiServer: string;
  etcd: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** KWOK's stage definitions (node initialise/heartbeat, pod ready/complete/delete), rendered by setup.sh. */
  kwokStages: string;
  helm: string;
  kustomize: string;
}

export type BinaryName = keyof TestbedBinaries;

/** The binaries the test bed needs are not where setup.sh puts them, nor where the environment points. */
export class MissingBinariesError extends Error {
  readonly missing: ReadonlyArray<{ name: BinaryName; path: string }>;

  constructor(missing: ReadonlyArray<{ name: BinaryName; path: string }>) {
    super(
      `test bed binaries missing: ${missing.map((m) => `${m.name} (${m.path})`).join(", ")}; ` +
        "run scripts/testbed/setup.sh, or point KUBEBUILDER_ASSETS / FLOTILLA_* at them",
    );
    this.name = "MissingBinariesError";
    this.missing = missing;
  }
}

const versionsFile = fileURLToPath(new URL("../../kube-bin/versions.env", import.meta.url));

/** The pinned versions in test/kube-bin/versions.env, the same file setup.sh builds from. */
export function pinnedVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of readFileSync(versionsFile, "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (match?.[1] && match[2]) versions[match[1]] = match[2];
  }
  return versions;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where each binary is, in order of preference: its own FLOTILLA_* variable, then envtest's KUBEBUILDER_ASSETS
 * folder (kube-apiserver and etcd, and the rest when it has them), then setup.sh's cache keyed by version.
 */
export function locateBinaries(env: NodeJS.ProcessEnv = process.env): TestbedBinaries {
  const v = pinnedVersions();
  const bin = join(env["FLOTILLA_CACHE"] ?? join(homedir(), ".cache", "flotilla"), "bin");
  const kube = join(bin, `kubernetes-${v["KUBERNETES_VERSION"]}`);
  const kwokDir = join(bin, `kwok-${v["KWOK_VERSION"]}`);
  const assets = env["KUBEBUILDER_ASSETS"];
  const fromAssets = (file: string, fallback: string): string => {
    if (assets && executable(join(assets, file))) return join(assets, file);
    return fallback;
  };
  return {
    kubeApiServer: env["FLOTILLA_KUBE_APISERVER"] ?? fromAssets("kube-apiserver", join(kube, "kube-apiserver")),
    etcd: env["FLOTILLA_ETCD"] ?? fromAssets("etcd", join(bin, `etcd-${v["ETCD_VERSION"]}`, "etcd")),
    kubeControllerManager:
      env["FLOTILLA_KUBE_CONTROLLER_MANAGER"] ??
      fromAssets("kube-controller-manager", join(kube, "kube-controller-manager")),
    kubeScheduler: env["FLOTILLA_KUBE_SCHEDULER"] ?? fromAssets("kube-scheduler", join(kube, "kube-scheduler")),
    kwok: env["FLOTILLA_KWOK"] ?? join(kwokDir, "kwok"),
    kwokStages: env["FLOTILLA_KWOK_STAGES"] ?? join(kwokDir, "stages.yaml"),
    helm: env["FLOTILLA_HELM"] ?? join(bin, `helm-${v["HELM_VERSION"]}`, "helm"),
    kustomize: env["FLOTILLA_KUSTOMIZE"] ?? join(bin, `kustomize-${v["KUSTOMIZE_VERSION"]}`, "kustomize"),
  };
}

/** Throws MissingBinariesError naming every one of `needed` that is not there. */
export function requireBinaries(binaries: TestbedBinaries, needed: readonly BinaryName[]): void {
  const missing = needed
    .map((name) => ({ name, path: binaries[name] }))
    .filter(({ name, path }) => (name === "kwokStages" ? !readable(path) : !executable(path)));
  if (missing.length > 0) throw new MissingBinariesError(missing);
}
