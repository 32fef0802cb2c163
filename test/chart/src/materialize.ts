import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { PodEnvironment } from "./pod-environment.ts";

/**
 * Writes a container's files under a fresh folder and points every variable that names one of them there, for
 * loaders that read the file system themselves (the encryption key's). Returns the rewritten environment.
 */
export function materialize(environment: PodEnvironment): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), "flotilla-chart-pod-"));
  for (const [path, text] of environment.files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return Object.fromEntries(
    Object.entries(environment.env).map(([name, value]) => [
      name,
      environment.files.has(value) ? join(root, value) : value,
    ]),
  );
}
