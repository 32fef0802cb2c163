// Lists the repository files that go into the image, one per line, relative to the repository root: the root
// manifests pnpm needs, and for every workspace package the `flotilla` entrypoint (apps/cli) needs at run time
// (its production dependencies, followed through `workspace:` specifiers), its package.json and src/ without
// tests. The build script hashes exactly these files and copies exactly these files.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.argv[2] ?? process.cwd();

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

function workspacePackages(): Map<string, string> {
  const byName = new Map<string, string>();
  for (const group of ["apps", "packages"]) {
    for (const entry of readdirSync(join(root, group))) {
      const file = join(root, group, entry, "package.json");
      if (!existsSync(file)) continue;
      byName.set((JSON.parse(readFileSync(file, "utf8")) as Manifest).name, join(group, entry));
    }
  }
  return byName;
}

function closure(start: string, byName: Map<string, string>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const dir = byName.get(name);
    if (dir === undefined) throw new Error(`workspace package ${name} not found under apps/ or packages/`);
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest;
    for (const [dep, spec] of Object.entries(manifest.dependencies ?? {}))
      if (spec.startsWith("workspace:")) visit(dep);
  };
  visit(start);
  return [...seen].map((name) => byName.get(name) as string).sort();
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...filesUnder(path));
    } else if (entry.isFile() && !entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const files = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"];
for (const dir of closure("@flotilla/cli", workspacePackages())) {
  files.push(join(dir, "package.json"), ...filesUnder(join(dir, "src")));
}
// The dashboard is built (pnpm run build) into static files the API serves; shipped when it has been built.
const dashboard = join("apps", "dashboard", "dist");
if (existsSync(join(root, dashboard)) && statSync(join(root, dashboard)).isDirectory())
  files.push(...filesUnder(dashboard));
process.stdout.write(
  `${files
    .map((f) => relative(".", f))
    .sort()
    .join("\n")}\n`,
);
