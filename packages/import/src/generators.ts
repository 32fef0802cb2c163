import type { FieldPath } from "@flotilla/core";
import type { DocumentContext } from "./document-context.ts";
import {
  checkFields,
  defineOwn,
  describe,
  expectBoolean,
  expectList,
  expectString,
  isMap,
  type JsonMap,
  stringMap,
} from "./fields.ts";
import { keyOfGoPath, type ParamScope } from "./param-scope.ts";

const REFUSED_KINDS: Readonly<Record<string, string>> = {
  scmProvider: "the SCM provider generator has no Flotilla equivalent; list the repositories with a list generator",
  pullRequest: "the pull request generator has no Flotilla equivalent",
  clusterDecisionResource:
    "the cluster decision resource generator has no Flotilla equivalent; use clusters with a selector",
  plugin: "plugin generators have no Flotilla equivalent",
};
const KINDS = ["list", "clusters", "git", "matrix", "merge"];
const GENERATOR_REFUSED: Readonly<Record<string, string>> = {
  ...REFUSED_KINDS,
  selector:
    "a generator's post-selector has no Flotilla form; filter clusters with clusters.selector, or list only the elements wanted",
};
const TEMPLATE_OVERRIDE =
  "a generator's own template override has no Flotilla form; write the difference into spec.template or spec.templatePatch";

/** What the generators produce, for converting parameter names; computed before any template is converted. */
export function scopeOf(generators: unknown): ParamScope {
  const scope = { gitPrefixes: new Set<string>(), openKeys: false, clusters: false };
  const visit = (list: unknown, depth: number) => {
    if (!Array.isArray(list) || depth > 8) return;
    for (const g of list) {
      if (!isMap(g)) continue;
      if (g["list"] !== undefined) scope.openKeys = true;
      if (g["clusters"] !== undefined) scope.clusters = true;
      const git = g["git"];
      if (isMap(git)) {
        scope.gitPrefixes.add(typeof git["pathParamPrefix"] === "string" ? git["pathParamPrefix"] : "");
        if (git["files"] !== undefined) scope.openKeys = true;
      }
      for (const kind of ["matrix", "merge"]) {
        const nested = g[kind];
        if (isMap(nested)) visit(nested["generators"], depth + 1);
      }
    }
  };
  visit(generators, 0);
  // Longest prefixes first, so that `a.b.path` is matched before a bare `path`.
  const gitPrefixes = [...scope.gitPrefixes].sort((a, b) => b.length - a.length);
  return { gitPrefixes, openKeys: scope.openKeys, clusters: scope.clusters };
}

export function convertGenerators(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap[] | undefined {
  if (!expectList(ctx, value, path)) return undefined;
  if (value.length === 0) {
    ctx.invalid(path, "expected at least one generator");
    return undefined;
  }
  const out = value.map((g, i) => convertGenerator(ctx, g, [...path, i], 0));
  return out.every((g) => g !== undefined) ? out : undefined;
}

function convertGenerator(ctx: DocumentContext, value: unknown, path: FieldPath, depth: number): JsonMap | undefined {
  if (depth > 4) {
    ctx.unsupported(path, "generators nest deeper than 4 levels");
    return undefined;
  }
  if (!checkFields(ctx, value, path, { known: KINDS, refused: GENERATOR_REFUSED })) return undefined;
  const kinds = Object.keys(value).filter((k) => KINDS.includes(k) || k in REFUSED_KINDS);
  if (kinds.length !== 1) {
    ctx.invalid(path, `expected exactly one generator kind, got ${kinds.length === 0 ? "none" : kinds.join(", ")}`);
    return undefined;
  }
  const kind = kinds[0]!;
  const at = [...path, kind];
  const spec = value[kind];
  switch (kind) {
    case "list":
      return wrap("list", list(ctx, spec, at));
    case "clusters":
      return wrap("clusters", clusters(ctx, spec, at));
    case "git":
      return wrap("git", git(ctx, spec, at));
    case "matrix":
      return wrap("matrix", combined(ctx, spec, at, depth, false));
    case "merge":
      return wrap("merge", combined(ctx, spec, at, depth, true));
    default:
      return undefined;
  }
}

function wrap(kind: string, spec: JsonMap | undefined): JsonMap | undefined {
  return spec === undefined ? undefined : { [kind]: spec };
}

function list(ctx: DocumentContext, spec: unknown, path: FieldPath): JsonMap | undefined {
  const refused = {
    template: TEMPLATE_OVERRIDE,
    elementsYaml: "elementsYaml has no Flotilla form; write the elements out under elements",
  };
  if (!checkFields(ctx, spec, path, { known: ["elements"], refused })) return undefined;
  const elements = spec["elements"] ?? [];
  if (!expectList(ctx, elements, [...path, "elements"])) return undefined;
  let ok = true;
  elements.forEach((element, i) => {
    if (!isMap(element)) {
      ctx.invalid([...path, "elements", i], `expected a map of parameters, got ${describe(element)}`);
      ok = false;
    }
  });
  return ok ? { elements } : undefined;
}

function clusters(ctx: DocumentContext, spec: unknown, path: FieldPath): JsonMap | undefined {
  const refused = {
    template: TEMPLATE_OVERRIDE,
    flatList: "flatList (all clusters as one parameter list) has no Flotilla form",
  };
  if (!checkFields(ctx, spec ?? {}, path, { known: ["selector", "values"], refused })) return undefined;
  const s = (spec ?? {}) as JsonMap;
  const out: JsonMap = {};
  let ok = true;
  if (s["selector"] !== undefined) {
    const selector = labelSelector(ctx, s["selector"], [...path, "selector"]);
    if (selector === undefined) ok = false;
    else if (Object.keys(selector).length > 0) out["selector"] = selector;
  }
  if (s["values"] !== undefined) {
    const values = stringMap(ctx, s["values"], [...path, "values"], true);
    if (values === undefined) ok = false;
    else out["values"] = values;
  }
  return ok ? out : undefined;
}

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

export function labelSelector(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  if (!checkFields(ctx, value, path, { known: ["matchLabels", "matchExpressions"] })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  if (value["matchLabels"] !== undefined) {
    const labels = stringMap(ctx, value["matchLabels"], [...path, "matchLabels"], false);
    if (labels === undefined) ok = false;
    else out["matchLabels"] = labels;
  }
  const expressions = value["matchExpressions"];
  if (expressions !== undefined) {
    if (!expectList(ctx, expressions, [...path, "matchExpressions"])) return undefined;
    const converted = expressions.map((e, i) => requirement(ctx, e, [...path, "matchExpressions", i]));
    if (converted.some((e) => e === undefined)) ok = false;
    else out["matchExpressions"] = converted;
  }
  return ok ? out : undefined;
}

function requirement(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  if (!checkFields(ctx, value, path, { known: ["key", "operator", "values"] })) return undefined;
  const { key, operator, values } = value;
  if (!expectString(ctx, key, [...path, "key"])) return undefined;
  if (typeof operator !== "string" || !OPERATORS.includes(operator)) {
    ctx.invalid([...path, "operator"], `expected one of ${OPERATORS.join(", ")}, got ${describe(operator)}`);
    return undefined;
  }
  const out: JsonMap = { key, operator };
  if (values !== undefined) {
    if (!expectList(ctx, values, [...path, "values"])) return undefined;
    if (!values.every((v, i) => expectString(ctx, v, [...path, "values", i]))) return undefined;
    out["values"] = values;
  }
  return out;
}

function git(ctx: DocumentContext, spec: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["repoURL", "revision", "directories", "files", "pathParamPrefix", "values", "requeueAfterSeconds"];
  if (!checkFields(ctx, spec, path, { known, refused: { template: TEMPLATE_OVERRIDE } })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  for (const field of ["repoURL", "revision"]) {
    const v = spec[field];
    if (v === undefined) continue;
    if (!expectString(ctx, v, [...path, field])) ok = false;
    else {
      const converted = ctx.template([...path, field], v);
      if (converted === undefined) ok = false;
      else out[field] = converted;
    }
  }
  if (out["repoURL"] === undefined && ok) {
    ctx.invalid([...path, "repoURL"], "a git generator needs repoURL");
    ok = false;
  }
  const hasDirs = spec["directories"] !== undefined;
  const hasFiles = spec["files"] !== undefined;
  if (hasDirs === hasFiles) {
    ctx.invalid(path, "a git generator needs exactly one of directories or files");
    return undefined;
  }
  const entriesField = hasDirs ? "directories" : "files";
  const entries = pathEntries(ctx, spec[entriesField], [...path, entriesField]);
  if (entries === undefined) ok = false;
  else out[entriesField] = entries;
  if (spec["pathParamPrefix"] !== undefined) {
    if (!expectString(ctx, spec["pathParamPrefix"], [...path, "pathParamPrefix"])) ok = false;
    else if (spec["pathParamPrefix"] !== "") out["pathParamPrefix"] = spec["pathParamPrefix"];
  }
  if (spec["values"] !== undefined) {
    const values = stringMap(ctx, spec["values"], [...path, "values"], true);
    if (values === undefined) ok = false;
    else out["values"] = values;
  }
  if (spec["requeueAfterSeconds"] !== undefined) {
    ctx.note(
      [...path, "requeueAfterSeconds"],
      "dropped: Flotilla reads Git on its own schedule and on webhooks (see the generator service)",
    );
  }
  return ok ? out : undefined;
}

function pathEntries(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap[] | undefined {
  if (!expectList(ctx, value, path)) return undefined;
  if (value.length === 0) {
    ctx.invalid(path, "expected at least one path");
    return undefined;
  }
  const out: JsonMap[] = [];
  let ok = true;
  value.forEach((entry, i) => {
    const at = [...path, i];
    if (!checkFields(ctx, entry, at, { known: ["path", "exclude"] })) {
      ok = false;
      return;
    }
    if (!expectString(ctx, entry["path"], [...at, "path"])) {
      ok = false;
      return;
    }
    const converted = ctx.template([...at, "path"], entry["path"]);
    if (converted === undefined) {
      ok = false;
      return;
    }
    const item: JsonMap = { path: converted };
    if (entry["exclude"] !== undefined) {
      if (!expectBoolean(ctx, entry["exclude"], [...at, "exclude"])) ok = false;
      else if (entry["exclude"]) item["exclude"] = true;
    }
    out.push(item);
  });
  return ok ? out : undefined;
}

function combined(
  ctx: DocumentContext,
  spec: unknown,
  path: FieldPath,
  depth: number,
  merge: boolean,
): JsonMap | undefined {
  const known = merge ? ["generators", "mergeKeys"] : ["generators"];
  if (!checkFields(ctx, spec, path, { known, refused: { template: TEMPLATE_OVERRIDE } })) return undefined;
  const children = spec["generators"];
  if (!expectList(ctx, children, [...path, "generators"])) return undefined;
  if (!merge && children.length !== 2) {
    ctx.invalid([...path, "generators"], `a matrix combines exactly 2 generators, got ${children.length}`);
    return undefined;
  }
  if (merge && children.length < 2) {
    ctx.invalid([...path, "generators"], `a merge needs at least 2 generators, got ${children.length}`);
    return undefined;
  }
  const converted = children.map((g, i) => convertGenerator(ctx, g, [...path, "generators", i], depth + 1));
  let ok = converted.every((g) => g !== undefined);
  const out: JsonMap = {};
  if (merge) {
    const keys = spec["mergeKeys"];
    if (!expectList(ctx, keys, [...path, "mergeKeys"]) || keys.length === 0) {
      if (Array.isArray(keys)) ctx.invalid([...path, "mergeKeys"], "expected at least one merge key");
      return undefined;
    }
    const mapped: string[] = [];
    keys.forEach((key, i) => {
      if (!expectString(ctx, key, [...path, "mergeKeys", i])) {
        ok = false;
        return;
      }
      const converted = mergeKey(ctx, key, [...path, "mergeKeys", i]);
      if (converted === undefined) ok = false;
      else mapped.push(converted);
    });
    out["mergeKeys"] = mapped;
  }
  defineOwn(out, "generators", converted);
  return ok ? out : undefined;
}

/** Merge keys name parameters; goTemplate's nested path names (`path.path`) are flat in Flotilla. */
function mergeKey(ctx: DocumentContext, key: string, path: FieldPath): string | undefined {
  if (ctx.mode !== "goTemplate") return key;
  try {
    return keyOfGoPath(key.split("."), ctx.scope);
  } catch (err) {
    ctx.unsupported(path, (err as Error).message);
    return undefined;
  }
}
