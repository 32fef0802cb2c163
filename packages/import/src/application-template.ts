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

const ARGO_DELETE_FINALIZERS = new Set([
  "resources-finalizer.argocd.argoproj.io",
  "resources-finalizer.argocd.argoproj.io/background",
  "resources-finalizer.argocd.argoproj.io/foreground",
]);

const SPEC_REFUSED: Readonly<Record<string, string>> = {
  ignoreDifferences:
    "ignoreDifferences has no Flotilla form: every field in Git is applied server-side and drift is what Git does not say",
  info: "info (free-form UI links) has no Flotilla form",
  sourceHydrator: "the source hydrator has no Flotilla equivalent",
};

/** `spec.template` (or a templatePatch-free copy of it): an Argo CD Application template in Flotilla's form. */
export function convertApplicationTemplate(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  if (!checkFields(ctx, value, path, { known: ["metadata", "spec"] })) return undefined;
  const metadata = templateMetadata(ctx, value["metadata"], [...path, "metadata"]);
  const spec = applicationSpec(ctx, value["spec"], [...path, "spec"]);
  return metadata && spec ? { metadata, spec } : undefined;
}

function templateMetadata(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["name", "namespace", "labels", "annotations", "finalizers"];
  if (!checkFields(ctx, value, path, { known })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  if (!expectString(ctx, value["name"], [...path, "name"])) return undefined;
  const name = ctx.template([...path, "name"], value["name"]);
  if (name === undefined) ok = false;
  else out["name"] = name;
  if (value["namespace"] !== undefined) {
    ctx.note(
      [...path, "namespace"],
      "dropped: it is where Argo CD keeps the Application object; Flotilla's Applications are not Kubernetes objects (destination.namespace is kept)",
    );
  }
  for (const field of ["labels", "annotations"]) {
    if (value[field] === undefined) continue;
    const map = stringMap(ctx, value[field], [...path, field], true);
    if (map === undefined) ok = false;
    else out[field] = map;
  }
  const finalizers = value["finalizers"];
  if (finalizers !== undefined && expectList(ctx, finalizers, [...path, "finalizers"])) {
    finalizers.forEach((f, i) => {
      if (typeof f === "string" && ARGO_DELETE_FINALIZERS.has(f)) {
        ctx.note(
          [...path, "finalizers", i],
          "dropped: Flotilla deletes an Application's objects when it leaves its ApplicationSet, through the deletion guard (spec.syncPolicy.preserveResourcesOnDeletion keeps them)",
        );
      } else {
        ctx.unsupported([...path, "finalizers", i], `the finalizer ${describe(f)} has no Flotilla equivalent`);
        ok = false;
      }
    });
  } else if (finalizers !== undefined) ok = false;
  return ok ? out : undefined;
}

function applicationSpec(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["project", "source", "sources", "destination", "syncPolicy", "revisionHistoryLimit"];
  if (!checkFields(ctx, value, path, { known, refused: SPEC_REFUSED })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  const project = value["project"];
  if (project !== undefined && project !== "default") {
    ctx.unsupported(
      [...path, "project"],
      `project ${describe(project)}: Flotilla has no AppProjects (their source, destination and kind restrictions are not enforced); write project: default to accept that`,
    );
    ok = false;
  } else if (project === "default") out["project"] = "default";

  const source = sourceOf(ctx, value, path);
  if (source === undefined) ok = false;
  else out["source"] = source;

  const destination = destinationOf(ctx, value["destination"], [...path, "destination"]);
  if (destination === undefined) ok = false;
  else out["destination"] = destination;

  if (value["syncPolicy"] !== undefined) {
    const policy = syncPolicy(ctx, value["syncPolicy"], [...path, "syncPolicy"]);
    if (policy === undefined) ok = false;
    else if (Object.keys(policy).length > 0) out["syncPolicy"] = policy;
  }
  if (value["revisionHistoryLimit"] !== undefined) {
    ctx.note([...path, "revisionHistoryLimit"], "dropped: Flotilla keeps its own sync history (flotilla app history)");
  }
  return ok ? out : undefined;
}

function sourceOf(ctx: DocumentContext, spec: JsonMap, path: FieldPath): JsonMap | undefined {
  const single = spec["source"];
  const many = spec["sources"];
  if (single !== undefined && many !== undefined) {
    ctx.invalid([...path, "sources"], "source and sources exclude each other");
    return undefined;
  }
  if (many !== undefined) {
    if (!expectList(ctx, many, [...path, "sources"])) return undefined;
    if (many.length !== 1) {
      ctx.unsupported(
        [...path, "sources"],
        `an Application with ${many.length} sources has no Flotilla form: Flotilla renders one source per Application; split it into one ApplicationSet per source`,
      );
      return undefined;
    }
    return convertSource(ctx, many[0], [...path, "sources", 0]);
  }
  if (single === undefined) {
    ctx.invalid(path, "an Application template needs source (or sources)");
    return undefined;
  }
  return convertSource(ctx, single, [...path, "source"]);
}

const SOURCE_REFUSED: Readonly<Record<string, string>> = {
  chart:
    "Helm repository charts are not supported: Flotilla renders charts from Git (path pointing at a Chart.yaml), so that a commit pins them",
  plugin: "config management plugins have no Flotilla equivalent",
  ref: "ref (a source referenced by another source's valueFiles) needs several sources, which Flotilla does not support",
  name: "a source name has no Flotilla form (one source per Application)",
};

function convertSource(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["repoURL", "targetRevision", "path", "helm", "kustomize", "directory"];
  if (!checkFields(ctx, value, path, { known, refused: SOURCE_REFUSED })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  for (const field of ["repoURL", "targetRevision", "path"]) {
    const v = value[field];
    if (v === undefined) continue;
    const converted = expectString(ctx, v, [...path, field]) ? ctx.template([...path, field], v) : undefined;
    if (converted === undefined) ok = false;
    else out[field] = converted;
  }
  if (value["repoURL"] === undefined) {
    ctx.invalid([...path, "repoURL"], "a source needs repoURL");
    ok = false;
  }
  const tools = [
    ["helm", helm],
    ["kustomize", kustomize],
    ["directory", directory],
  ] as const;
  for (const [field, convert] of tools) {
    if (value[field] === undefined) continue;
    const converted = convert(ctx, value[field], [...path, field]);
    if (converted === undefined) ok = false;
    else out[field] = converted;
  }
  return ok ? out : undefined;
}

function helm(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["releaseName", "valueFiles", "values", "valuesObject", "parameters"];
  const refused = Object.fromEntries(
    [
      "fileParameters",
      "version",
      "passCredentials",
      "ignoreMissingValueFiles",
      "skipCrds",
      "namespace",
      "kubeVersion",
      "apiVersions",
      "skipTests",
      "skipSchemaValidation",
    ].map((f) => [f, `helm.${f} has no Flotilla equivalent; Flotilla runs helm template with the chart's defaults`]),
  );
  if (!checkFields(ctx, value, path, { known, refused })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  for (const field of ["releaseName", "values"]) {
    const v = value[field];
    if (v === undefined) continue;
    const converted = expectString(ctx, v, [...path, field]) ? ctx.template([...path, field], v) : undefined;
    if (converted === undefined) ok = false;
    else out[field] = converted;
  }
  if (value["valueFiles"] !== undefined) {
    const files = stringList(ctx, value["valueFiles"], [...path, "valueFiles"]);
    if (files === undefined) ok = false;
    else out["valueFiles"] = files;
  }
  if (value["valuesObject"] !== undefined) {
    const converted = templatedValue(ctx, value["valuesObject"], [...path, "valuesObject"]);
    if (!isMap(converted)) {
      if (converted !== undefined) ctx.invalid([...path, "valuesObject"], "expected a map");
      ok = false;
    } else out["valuesObject"] = converted;
  }
  const parameters = value["parameters"];
  if (parameters !== undefined) {
    if (!expectList(ctx, parameters, [...path, "parameters"])) return undefined;
    const converted = parameters.map((p, i) => helmParameter(ctx, p, [...path, "parameters", i]));
    if (converted.some((p) => p === undefined)) ok = false;
    else out["parameters"] = converted;
  }
  return ok ? out : undefined;
}

function helmParameter(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  if (!checkFields(ctx, value, path, { known: ["name", "value", "forceString"] })) return undefined;
  if (value["forceString"] === true) {
    ctx.unsupported([...path, "forceString"], "forceString has no Flotilla form (parameters are set with helm --set)");
    return undefined;
  }
  const name = expectString(ctx, value["name"], [...path, "name"])
    ? ctx.template([...path, "name"], value["name"])
    : undefined;
  const raw = value["value"] ?? "";
  const v = expectString(ctx, raw, [...path, "value"]) ? ctx.template([...path, "value"], raw) : undefined;
  return name !== undefined && v !== undefined ? { name, value: v } : undefined;
}

function kustomize(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const known = ["namePrefix", "nameSuffix", "namespace", "images", "commonLabels", "commonAnnotations"];
  const refused = Object.fromEntries(
    [
      "version",
      "forceCommonLabels",
      "forceCommonAnnotations",
      "commonAnnotationsEnvsubst",
      "replicas",
      "patches",
      "components",
      "labelWithoutSelector",
      "labelIncludeTemplates",
      "kubeVersion",
      "apiVersions",
      "ignoreMissingComponents",
    ].map((f) => [f, `kustomize.${f} has no Flotilla equivalent; put it in the kustomization.yaml in Git`]),
  );
  if (!checkFields(ctx, value, path, { known, refused })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  for (const field of ["namePrefix", "nameSuffix", "namespace"]) {
    const v = value[field];
    if (v === undefined) continue;
    const converted = expectString(ctx, v, [...path, field]) ? ctx.template([...path, field], v) : undefined;
    if (converted === undefined) ok = false;
    else out[field] = converted;
  }
  if (value["images"] !== undefined) {
    const images = stringList(ctx, value["images"], [...path, "images"]);
    if (images === undefined) ok = false;
    else out["images"] = images;
  }
  for (const field of ["commonLabels", "commonAnnotations"]) {
    if (value[field] === undefined) continue;
    const map = stringMap(ctx, value[field], [...path, field], true);
    if (map === undefined) ok = false;
    else out[field] = map;
  }
  return ok ? out : undefined;
}

function directory(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const refused = { jsonnet: "jsonnet has no Flotilla equivalent; commit the rendered manifests" };
  if (!checkFields(ctx, value, path, { known: ["recurse", "include", "exclude"], refused })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  if (value["recurse"] !== undefined) {
    if (expectBoolean(ctx, value["recurse"], [...path, "recurse"])) out["recurse"] = value["recurse"];
    else ok = false;
  }
  for (const field of ["include", "exclude"]) {
    const v = value[field];
    if (v === undefined) continue;
    const converted = expectString(ctx, v, [...path, field]) ? ctx.template([...path, field], v) : undefined;
    if (converted === undefined) ok = false;
    else out[field] = converted;
  }
  return ok ? out : undefined;
}

function destinationOf(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  if (!checkFields(ctx, value, path, { known: ["server", "name", "namespace"] })) return undefined;
  if (value["server"] !== undefined && value["name"] !== undefined) {
    ctx.invalid(path, "destination.server and destination.name exclude each other (Argo CD refuses both)");
    return undefined;
  }
  if (value["server"] === undefined && value["name"] === undefined) {
    ctx.invalid(path, "a destination needs server or name");
    return undefined;
  }
  const out: JsonMap = {};
  let ok = true;
  // Argo CD's destination.name is the cluster's registered name: Flotilla's destination.cluster.
  for (const [from, to] of [
    ["server", "server"],
    ["name", "cluster"],
    ["namespace", "namespace"],
  ] as const) {
    const v = value[from];
    if (v === undefined) continue;
    const converted = expectString(ctx, v, [...path, from]) ? ctx.template([...path, from], v) : undefined;
    if (converted === undefined) ok = false;
    else out[to] = converted;
  }
  return ok ? out : undefined;
}

function syncPolicy(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const refused = {
    managedNamespaceMetadata:
      "managedNamespaceMetadata has no Flotilla form; put the Namespace object, with its labels, in Git",
  };
  if (!checkFields(ctx, value, path, { known: ["automated", "syncOptions", "retry"], refused })) return undefined;
  const out: JsonMap = {};
  let ok = true;
  const automated = value["automated"];
  if (automated !== undefined && automated !== null) {
    const at = [...path, "automated"];
    if (!checkFields(ctx, automated, at, { known: ["prune", "selfHeal", "allowEmpty", "enabled"] })) return undefined;
    const converted: JsonMap = {};
    for (const field of ["prune", "selfHeal"]) {
      const v = automated[field];
      if (v === undefined) continue;
      if (expectBoolean(ctx, v, [...at, field])) converted[field] = v;
      else ok = false;
    }
    if (automated["allowEmpty"] === true) {
      ctx.unsupported(
        [...at, "allowEmpty"],
        "allowEmpty has no Flotilla form: an Application whose source renders nothing fails instead of pruning everything",
      );
      ok = false;
    }
    if (automated["enabled"] === false) {
      ctx.note(
        [...at, "enabled"],
        "automated.enabled: false: the Application syncs manually (no syncPolicy.automated)",
      );
    } else out["automated"] = converted;
  }
  if (value["syncOptions"] !== undefined) {
    const options = stringList(ctx, value["syncOptions"], [...path, "syncOptions"]);
    if (options === undefined) ok = false;
    else out["syncOptions"] = options;
  }
  if (value["retry"] !== undefined) {
    const retry = retryOf(ctx, value["retry"], [...path, "retry"]);
    if (retry === undefined) ok = false;
    else out["retry"] = retry;
  }
  return ok ? out : undefined;
}

function retryOf(ctx: DocumentContext, value: unknown, path: FieldPath): JsonMap | undefined {
  const refused = { refresh: "retry.refresh has no Flotilla form: a retry always reads the latest commit" };
  if (!checkFields(ctx, value, path, { known: ["limit", "backoff"], refused })) return undefined;
  const out: JsonMap = {};
  if (value["limit"] !== undefined) {
    if (typeof value["limit"] !== "number" || !Number.isInteger(value["limit"])) {
      ctx.invalid([...path, "limit"], `expected an integer, got ${describe(value["limit"])}`);
      return undefined;
    }
    // Argo CD reads a negative limit as "retry forever"; Flotilla always bounds its retries.
    if (value["limit"] < 0) {
      ctx.unsupported([...path, "limit"], "a negative limit (retry without end) has no Flotilla form; give a number");
      return undefined;
    }
    out["limit"] = value["limit"];
  }
  const backoff = value["backoff"];
  if (backoff !== undefined) {
    const at = [...path, "backoff"];
    if (!checkFields(ctx, backoff, at, { known: ["duration", "factor", "maxDuration"] })) return undefined;
    const b: JsonMap = {};
    for (const field of ["duration", "maxDuration"]) {
      const v = backoff[field];
      if (v === undefined) continue;
      if (!expectString(ctx, v, [...at, field])) return undefined;
      b[field] = v;
    }
    if (backoff["factor"] !== undefined) {
      if (typeof backoff["factor"] !== "number") {
        ctx.invalid([...at, "factor"], `expected a number, got ${describe(backoff["factor"])}`);
        return undefined;
      }
      b["factor"] = backoff["factor"];
    }
    out["backoff"] = b;
  }
  return out;
}

function stringList(ctx: DocumentContext, value: unknown, path: FieldPath): string[] | undefined {
  if (!expectList(ctx, value, path)) return undefined;
  const out: string[] = [];
  let ok = true;
  value.forEach((v, i) => {
    const converted = expectString(ctx, v, [...path, i]) ? ctx.template([...path, i], v) : undefined;
    if (converted === undefined) ok = false;
    else out.push(converted);
  });
  return ok ? out : undefined;
}

/** Every string of a free-form value (helm valuesObject) converted as a template; keys stay as they are. */
function templatedValue(ctx: DocumentContext, value: unknown, path: FieldPath): unknown {
  if (typeof value === "string") return ctx.template(path, value);
  if (Array.isArray(value)) {
    const out = value.map((v, i) => templatedValue(ctx, v, [...path, i]));
    return out.includes(undefined) ? undefined : out;
  }
  if (isMap(value)) {
    const out: JsonMap = {};
    let ok = true;
    for (const [k, v] of Object.entries(value)) {
      const converted = templatedValue(ctx, v, [...path, k]);
      if (converted === undefined) ok = false;
      else defineOwn(out, k, converted);
    }
    return ok ? out : undefined;
  }
  return value;
}
