import type { FieldPath, Params } from "@flotilla/core";
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
    const elements = parseElements(texts[i] as string, where, at, limits);
    elements.forEach((element, k) => {
      const describe = elements.length > 1 ? `${where}: element ${k}` : where;
      const params = flattenElement(element, at, describe, limits);
      Object.assign(params, pathParams(dir, git.pathParamPrefix, filename));
      out.push(addValues(params, git.values, at, describe));
      if (out.length > limits.maxParamSets) {
        throw new GeneratorError({ at, code: "limit", reason: `more than ${limits.maxParamSets} parameter sets` });
      }
    });
  });
  return out;
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
