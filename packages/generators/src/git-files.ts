import { type FieldPath, failedSourceParams, type Params } from "@flotilla/core";
import { parseDocument } from "yaml";
import { GeneratorError, messageOf } from "./errors.ts";
import { flattenElement } from "./flatten.ts";
import type { GeneratorContext } from "./generator.ts";
import type { RepoSnapshot } from "./git.ts";
import type { GeneratorLimits } from "./limits.ts";
import { compilePathFilter, type PathEntry } from "./path-filter.ts";
import { pathParams, splitFilePath } from "./path-params.ts";
import { addValues } from "./values.ts";

interface GitFilesSpec {
  pathParamPrefix?: string | undefined;
  values?: Record<string, string> | undefined;
}

const MAX_ALIASES = 100;

/**
 * One parameter set per object in each matching YAML/JSON file (a file holds one object, or a list of
 * objects). The object's keys are flattened (`cluster.name`); the path params are added after them and win
 * on a clash, as in Argo CD. An empty file yields nothing.
 *
 * A file that does not parse (bad YAML or JSON, a document that is not a map, too many elements or keys) fails
 * only itself: it yields one parameter set carrying the failure and its path params (see `failedSourceParams`),
 * which the engine reports as that element's error. Its other files still generate, and an Application name
 * built from path params still renders and protects what the file produced before. A file that cannot be read
 * at all fails the generation: that is Git failing, not the file.
 */
export async function gitFileParams(
  git: GitFilesSpec,
  entries: readonly PathEntry[],
  snapshot: RepoSnapshot,
  ctx: GeneratorContext,
  at: FieldPath,
  limits: GeneratorLimits,
): Promise<Params[]> {
  const keep = compilePathFilter(entries, "files", at);
  const files = snapshot.tree.files.filter(keep).sort();
  if (files.length > limits.maxFiles) {
    throw new GeneratorError({
      at,
      code: "limit",
      reason: `${files.length} files match; at most ${limits.maxFiles} allowed`,
    });
  }
  const texts = await Promise.all(files.map((file) => readFile(file, snapshot, ctx, at, limits)));
  const out: Params[] = [];
  files.forEach((file, i) => {
    const where = `${snapshot.repoURL} at ${snapshot.commit.slice(0, 12)}: ${file}`;
    const { dir, file: filename } = splitFilePath(file);
    const path = pathParams(dir, git.pathParamPrefix, filename);
    const parsed = fileElements(texts[i] as string, where, at, limits);
    const sets =
      "failure" in parsed
        ? [failedSourceParams(path, { source: where, message: parsed.failure.message })]
        : parsed.elements.map((params, k) => {
            const describe = parsed.elements.length > 1 ? `${where}: element ${k}` : where;
            return addValues(Object.assign(params, path), git.values, at, describe);
          });
    for (const params of sets) {
      out.push(params);
      if (out.length > limits.maxParamSets) {
        throw new GeneratorError({ at, code: "limit", reason: `more than ${limits.maxParamSets} parameter sets` });
      }
    }
  });
  return out;
}

/** A file's elements as flat params, or why the file itself is unusable (a parse error or a per-file limit). */
function fileElements(
  text: string,
  where: string,
  at: FieldPath,
  limits: GeneratorLimits,
): { elements: Params[] } | { failure: GeneratorError } {
  try {
    const elements = parseElements(text, where, at, limits);
    return {
      elements: elements.map((element, k) =>
        flattenElement(element, at, elements.length > 1 ? `${where}: element ${k}` : where, limits),
      ),
    };
  } catch (err) {
    if (err instanceof GeneratorError && (err.code === "parse" || err.code === "limit")) return { failure: err };
    throw err;
  }
}

async function readFile(
  file: string,
  snapshot: RepoSnapshot,
  ctx: GeneratorContext,
  at: FieldPath,
  limits: GeneratorLimits,
): Promise<string> {
  let text: string;
  try {
    text = await ctx.repos.readFile(snapshot.repoURL, snapshot.commit, file);
  } catch (err) {
    throw new GeneratorError({
      at,
      code: "git",
      reason: `cannot read ${file} from ${snapshot.repoURL} at ${snapshot.commit.slice(0, 12)}: ${messageOf(err)}`,
      cause: err,
    });
  }
  if (text.length > limits.maxFileBytes) {
    throw new GeneratorError({
      at,
      code: "limit",
      reason: `${snapshot.repoURL} at ${snapshot.commit.slice(0, 12)}: ${file}: ${text.length} bytes; at most ${limits.maxFileBytes} allowed`,
    });
  }
  return text;
}

function parseElements(text: string, where: string, at: FieldPath, limits: GeneratorLimits): Record<string, unknown>[] {
  const doc = parseDocument(text, { uniqueKeys: true, merge: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const line = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    const detail = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
    throw new GeneratorError({ at, code: "parse", reason: `${where}: invalid YAML${line}: ${detail}`, cause: error });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw new GeneratorError({ at, code: "parse", reason: `${where}: ${messageOf(err)}`, cause: err });
  }
  if (value === null || value === undefined) return [];
  const elements = Array.isArray(value) ? value : [value];
  if (elements.length > limits.maxElements) {
    throw new GeneratorError({
      at,
      code: "limit",
      reason: `${where}: ${elements.length} elements; at most ${limits.maxElements} allowed`,
    });
  }
  elements.forEach((element, k) => {
    if (element === null || typeof element !== "object" || Array.isArray(element)) {
      const which = Array.isArray(value) ? `element ${k}` : "the document";
      throw new GeneratorError({ at, code: "parse", reason: `${where}: ${which} must be a map of parameters` });
    }
  });
  return elements as Record<string, unknown>[];
}
