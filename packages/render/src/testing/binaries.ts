import { accessSync, constants } from "node:fs";
import { locateBinaries, runningInCi } from "@flotilla/testbed";
import type { ToolPaths } from "../options.ts";

export interface TestTools {
  paths: ToolPaths;
  /** Names of missing binaries; empty when both are there. */
  missing: string[];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * helm and kustomize as the test bed builds them. Missing ones fail loudly under CI=true; elsewhere the
 * caller skips, after this has said why.
 */
export function testTools(): TestTools {
  const found = locateBinaries();
  const paths: ToolPaths = { helm: found.helm, kustomize: found.kustomize };
  const missing = (["helm", "kustomize"] as const)
    .filter((t) => !executable(paths[t]))
    .map((t) => `${t} (${paths[t]})`);
  if (missing.length > 0) {
    const message = `missing ${missing.join(", ")}; run bash scripts/testbed/setup.sh or set FLOTILLA_HELM/FLOTILLA_KUSTOMIZE`;
    if (runningInCi()) throw new Error(`render integration tests need real binaries: ${message}`);
    console.warn(`skipping render integration tests: ${message}`);
  }
  return { paths, missing };
}
