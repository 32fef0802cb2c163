import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The image installs each package's production dependencies only: a runtime import of a package listed as a
// devDependency works in the workspace (where everything is installed) and fails in the image, at start-up.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"((?:@[^/"]+\/)?[^/".][^/"]*)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !/\.test\.ts$|\.d\.ts$|^test-support\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${"/"}testing${"/"}`));
}

describe("what the image installs", () => {
  const packages = ["apps", "packages"].flatMap((top) =>
    readdirSync(join(root, top)).map((name) => join(root, top, name)),
  );

  it.each(packages.map((dir) => [dir.slice(root.length), dir]))(
    "%s imports at run time only its dependencies",
    (_, dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      const allowed = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})]);
      const missing = sources(join(dir, "src")).flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(IMPORT)]
          .map((m) => m[1]!)
          .filter((name) => !name.startsWith("node:") && !allowed.has(name))
          .map((name) => `${file.slice(root.length)} imports ${name}`),
      );
      expect(missing).toEqual([]);
    },
  );
});
