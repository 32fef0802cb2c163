import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseYamlDocuments } from "@flotilla/core";
import type { KubernetesObject } from "./bundle.ts";
import { KUSTOMIZATION_FILES } from "./detect.ts";
import { RenderError } from "./errors/render-error.ts";
import { overlayKustomization } from "./kustomize-overlay.ts";
import { materialize } from "./materialize.ts";
import { readFiles, type SourceFile } from "./read-files.ts";
import { joinRepoPath, resolveInRepo } from "./repo-paths.ts";
import type { RenderRequest, SourceRenderer } from "./source-renderer.ts";
import { parseToolOutput } from "./tool-output.ts";
import { filesUnder, indexTree } from "./tree-index.ts";
import { withWorkspace } from "./workspace.ts";

/** Fields of a kustomization that name other kustomizations or resource files. */
const REFERENCE_FIELDS = ["resources", "bases", "components"] as const;
/** Bounds how many directories one kustomization may pull in, against reference cycles and fan-out bombs. */
const MAX_KUSTOMIZE_DIRECTORIES = 200;

/** "https://…", "ssh://…", "git@host:…", "github.com/org/repo//path?ref=v1": kustomize would fetch these. */
export function isRemoteReference(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^[^/]+@[^/]+:/.test(ref) || ref.includes("?ref=") || ref.includes("//")
  );
}

/** The `resources`, `bases` and `components` entries of a kustomization file. */
export function kustomizationReferences(text: string, file: string): string[] {
  const parsed = parseYamlDocuments(text, file);
  const issue = parsed.issues[0];
  if (issue) throw new RenderError({ failure: "InvalidManifest", file, line: issue.line, reason: issue.message });
  const doc = parsed.documents[0];
  if (!doc) return [];
  const data = doc.data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new RenderError({
      failure: "InvalidManifest",
      file,
      line: doc.locate([]).line,
      reason: "expected a mapping",
    });
  }
  const refs: string[] = [];
  for (const field of REFERENCE_FIELDS) {
    const list = (data as Record<string, unknown>)[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new RenderError({
        failure: "InvalidManifest",
        file,
        line: doc.locate([field]).line,
        reason: `"${field}" must be a list`,
      });
    }
    list.forEach((entry, i) => {
      if (typeof entry !== "string") {
        throw new RenderError({
          failure: "InvalidManifest",
          file,
          line: doc.locate([field, i]).line,
          reason: `"${field}[${i}]" must be a string`,
        });
      }
      refs.push(entry);
    });
  }
  return refs;
}

/**
 * The repository files a kustomize build at `req.path` needs: the source directory and every local directory
 * its kustomizations reach through resources/bases/components, transitively. Remote references are refused
 * here, with the file that names them, rather than left to fail inside kustomize.
 */
export async function kustomizeFiles(req: RenderRequest): Promise<string[]> {
  const index = indexTree(req.tree);
  const files = new Set<string>();
  const seen = new Set<string>();
  const queue = [req.path];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    if (seen.size > MAX_KUSTOMIZE_DIRECTORIES) {
      throw new RenderError({
        failure: "TooLarge",
        reason: `the kustomization reaches more than ${MAX_KUSTOMIZE_DIRECTORIES} directories`,
      });
    }
    for (const file of filesUnder(req.tree, dir, true)) files.add(file);
    const kfile = KUSTOMIZATION_FILES.map((name) => joinRepoPath(dir, name)).find((f) => index.files.has(f));
    if (kfile === undefined) continue;
    const [{ text }] = (await readFiles(req.reader, req.repoURL, req.commit, [kfile], req.limits)) as [SourceFile];
    for (const ref of kustomizationReferences(text, kfile)) {
      if (isRemoteReference(ref)) {
        throw new RenderError({
          failure: "RemoteReference",
          file: kfile,
          reason: `remote resource ${JSON.stringify(ref)} is not supported: a render reads only the commit it was given; vendor it into the repository`,
        });
      }
      const target = resolveInRepo(dir, ref, kfile);
      if (target === "" || index.directories.has(target)) queue.push(target);
      else if (index.files.has(target)) files.add(target);
      else {
        throw new RenderError({
          failure: "PathNotFound",
          file: kfile,
          reason: `resource ${JSON.stringify(ref)} does not exist in the repository at this commit`,
        });
      }
    }
  }
  return [...files];
}

/** `kustomize build` of the source directory, with the Application's kustomize settings as an overlay. */
export class KustomizeRenderer implements SourceRenderer {
  readonly kind = "kustomize" as const;

  async render(req: RenderRequest): Promise<KubernetesObject[]> {
    const files = await kustomizeFiles(req);
    return withWorkspace(req.tempDir, async (ws) => {
      await materialize(req.reader, req.repoURL, req.commit, files, ws.repo, req.limits);
      const sourceDir = join(ws.repo, req.path);
      let target = sourceDir;
      const overlay = overlayKustomization(req.source.kustomize, relative(ws.work, sourceDir));
      if (overlay) {
        // JSON is YAML, and cannot be misread the way hand-built YAML could.
        await writeFile(join(ws.work, "kustomization.yaml"), JSON.stringify(overlay, null, 2));
        target = ws.work;
      }
      const output = await req.tools.run("kustomize", {
        args: ["build", target, "--load-restrictor", "LoadRestrictionsRootOnly"],
        cwd: ws.work,
        home: ws.home,
        scrub: [ws.repo, ws.work, ws.root],
      });
      return parseToolOutput(output, "kustomize build output");
    });
  }
}
