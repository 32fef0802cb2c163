import { applicationSetFieldProblems, applicationSetSchema, type FieldPath } from "@flotilla/core";
import { convertApplicationTemplate } from "./application-template.ts";
import type { DocumentContext } from "./document-context.ts";
import {
  checkFields,
  describe,
  expectBoolean,
  expectList,
  expectString,
  isMap,
  type JsonMap,
  stringMap,
} from "./fields.ts";
import { convertGenerators, scopeOf } from "./generators.ts";

const SERVER_FIELDS = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "ownerReferences",
  "finalizers",
  "selfLink",
  "generateName",
];
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** An Argo CD ApplicationSet document in Flotilla's format, or undefined with the reasons in `ctx.issues`. */
export function convertApplicationSet(ctx: DocumentContext, doc: JsonMap): JsonMap | undefined {
  if (!checkFields(ctx, doc, [], { known: ["apiVersion", "kind", "metadata", "spec", "status"] })) return undefined;
  if (doc["status"] !== undefined) ctx.note(["status"], "dropped: status is Argo CD's, written by its controller");
  const metadata = metadataOf(ctx, doc["metadata"]);
  const spec = specOf(ctx, doc["spec"]);
  if (metadata === undefined || spec === undefined || ctx.issues.length > 0) return undefined;
  const out: JsonMap = { apiVersion: "flotilla.dev/v1alpha1", kind: "ApplicationSet", metadata, spec };
  return acceptedByFlotilla(ctx, out, doc) ? out : undefined;
}

function metadataOf(ctx: DocumentContext, value: unknown): JsonMap | undefined {
  const known = ["name", "namespace", "labels", "annotations", ...SERVER_FIELDS];
  if (!checkFields(ctx, value, ["metadata"], { known })) return undefined;
  if (!expectString(ctx, value["name"], ["metadata", "name"])) return undefined;
  const out: JsonMap = { name: value["name"] };
  if (value["namespace"] !== undefined) {
    ctx.note(["metadata", "namespace"], "dropped: a Flotilla ApplicationSet is identified by its name alone");
  }
  const server = SERVER_FIELDS.filter((f) => value[f] !== undefined);
  if (server.length > 0) {
    ctx.note(["metadata", server[0]!], `dropped ${server.join(", ")}: the API server writes them`);
  }
  if (value["labels"] !== undefined) {
    const labels = stringMap(ctx, value["labels"], ["metadata", "labels"], false);
    if (labels !== undefined && Object.keys(labels).length > 0) out["labels"] = labels;
  }
  if (value["annotations"] !== undefined) {
    const annotations = stringMap(ctx, value["annotations"], ["metadata", "annotations"], false);
    if (annotations !== undefined && Object.hasOwn(annotations, LAST_APPLIED)) {
      delete annotations[LAST_APPLIED];
      ctx.note(["metadata", "annotations", LAST_APPLIED], "dropped: kubectl's record of the last apply");
    }
    if (annotations !== undefined && Object.keys(annotations).length > 0) out["annotations"] = annotations;
  }
  return out;
}

const SPEC_REFUSED: Readonly<Record<string, string>> = {
  preservedFields:
    "preservedFields has no Flotilla form: Flotilla's Applications are not objects others edit; put the fields in the template",
  ignoreApplicationDifferences:
    "ignoreApplicationDifferences has no Flotilla form: Flotilla's Applications are not objects others edit",
};

function specOf(ctx: DocumentContext, value: unknown): JsonMap | undefined {
  const known = [
    "generators",
    "template",
    "templatePatch",
    "goTemplate",
    "goTemplateOptions",
    "syncPolicy",
    "strategy",
    "applyNestedSelectors",
  ];
  if (!checkFields(ctx, value, ["spec"], { known, refused: SPEC_REFUSED })) return undefined;
  const go = value["goTemplate"];
  if (go !== undefined && !expectBoolean(ctx, go, ["spec", "goTemplate"])) return undefined;
  ctx.mode = go === true ? "goTemplate" : "fasttemplate";
  goTemplateOptions(ctx, value["goTemplateOptions"]);
  ctx.scope = scopeOf(value["generators"]);
  if (value["applyNestedSelectors"] !== undefined) {
    ctx.note(["spec", "applyNestedSelectors"], "dropped: post-selectors are refused, so there is nothing to apply");
  }

  const generators = convertGenerators(ctx, value["generators"], ["spec", "generators"]);
  const template = convertApplicationTemplate(ctx, value["template"], ["spec", "template"]);
  const out: JsonMap = {};
  if (generators !== undefined) out["generators"] = generators;
  if (template !== undefined) out["template"] = template;

  const patch = value["templatePatch"];
  if (patch !== undefined && expectString(ctx, patch, ["spec", "templatePatch"])) {
    if (ctx.mode !== "goTemplate") {
      ctx.invalid(["spec", "templatePatch"], "Argo CD applies templatePatch only with goTemplate: true");
    } else {
      const converted = ctx.template(["spec", "templatePatch"], patch);
      if (converted !== undefined) out["templatePatch"] = converted;
    }
  }
  const policy = appSetSyncPolicy(ctx, value["syncPolicy"]);
  if (policy !== undefined && Object.keys(policy).length > 0) out["syncPolicy"] = policy;
  if (value["strategy"] !== undefined) {
    const strategy = strategyOf(ctx, value["strategy"]);
    if (strategy !== undefined) out["strategy"] = strategy;
  }
  return generators !== undefined && template !== undefined ? out : undefined;
}

function goTemplateOptions(ctx: DocumentContext, value: unknown): void {
  if (value === undefined) return;
  const path: FieldPath = ["spec", "goTemplateOptions"];
  if (!expectList(ctx, value, path)) return;
  value.forEach((option, i) => {
    if (option === "missingkey=error") return;
    ctx.unsupported(
      [...path, i],
      `${describe(option)}: Flotilla's templates always fail on a missing key (as missingkey=error); no other option has a Flotilla form`,
    );
  });
  if (ctx.mode !== "goTemplate" && value.length > 0) {
    ctx.invalid(path, "goTemplateOptions apply only with goTemplate: true");
  }
}

const APPLICATIONS_SYNC = ["create-only", "create-update", "create-delete", "sync"];

function appSetSyncPolicy(ctx: DocumentContext, value: unknown): JsonMap | undefined {
  if (value === undefined) return undefined;
  const path: FieldPath = ["spec", "syncPolicy"];
  if (!checkFields(ctx, value, path, { known: ["preserveResourcesOnDeletion", "applicationsSync"] })) return undefined;
  const out: JsonMap = {};
  const preserve = value["preserveResourcesOnDeletion"];
  if (preserve !== undefined && expectBoolean(ctx, preserve, [...path, "preserveResourcesOnDeletion"])) {
    if (preserve) out["preserveResourcesOnDeletion"] = true;
  }
  const sync = value["applicationsSync"];
  if (sync !== undefined) {
    if (typeof sync === "string" && APPLICATIONS_SYNC.includes(sync)) out["applicationsSync"] = sync;
    else
      ctx.invalid(
        [...path, "applicationsSync"],
        `expected one of ${APPLICATIONS_SYNC.join(", ")}, got ${describe(sync)}`,
      );
  }
  return out;
}

function strategyOf(ctx: DocumentContext, value: unknown): JsonMap | undefined {
  const path: FieldPath = ["spec", "strategy"];
  if (!checkFields(ctx, value, path, { known: ["type", "rollingSync"] })) return undefined;
  const type = value["type"];
  if (type !== "AllAtOnce" && type !== "RollingSync") {
    ctx.invalid([...path, "type"], `expected AllAtOnce or RollingSync, got ${describe(type)}`);
    return undefined;
  }
  if (type === "AllAtOnce") return { type };
  const rolling = value["rollingSync"];
  if (!checkFields(ctx, rolling, [...path, "rollingSync"], { known: ["steps"] })) return undefined;
  const steps = rolling["steps"];
  if (!expectList(ctx, steps, [...path, "rollingSync", "steps"])) return undefined;
  const out = steps.map((step, i) => {
    const at = [...path, "rollingSync", "steps", i];
    if (!checkFields(ctx, step, at, { known: ["matchExpressions", "maxUpdate"] })) return undefined;
    const converted: JsonMap = { matchExpressions: step["matchExpressions"] ?? [] };
    if (step["maxUpdate"] !== undefined) converted["maxUpdate"] = step["maxUpdate"];
    return converted;
  });
  return out.every((s) => s !== undefined) ? { type, rollingSync: { steps: out } } : undefined;
}

/**
 * The result must be a Flotilla ApplicationSet: whatever Flotilla's own validation refuses (a sync option it does
 * not honour, a name that is not a DNS-1123 label) is reported here, at the Argo CD field it came from.
 */
function acceptedByFlotilla(ctx: DocumentContext, out: JsonMap, input: JsonMap): boolean {
  const parsed = applicationSetSchema.safeParse(out);
  const problems = parsed.success
    ? applicationSetFieldProblems(out as never).map((p) => ({ path: p.path, message: p.message }))
    : parsed.error.issues.map((i) => ({ path: i.path as FieldPath, message: i.message }));
  for (const problem of problems) {
    ctx.unsupported(inputPath(problem.path, input), `Flotilla refuses the converted value: ${problem.message}`);
  }
  return problems.length === 0;
}

/** The Argo CD field an output field came from, where the names differ. */
function inputPath(path: FieldPath, input: JsonMap): FieldPath {
  const out = [...path];
  const spec = isMap(input["spec"]) ? input["spec"] : {};
  const template = isMap(spec["template"]) ? spec["template"] : {};
  const appSpec = isMap(template["spec"]) ? template["spec"] : {};
  const prefix = ["spec", "template", "spec"];
  if (prefix.every((s, i) => out[i] === s)) {
    if (out[3] === "source" && appSpec["sources"] !== undefined) out.splice(3, 1, "sources", 0);
    if (out[3] === "destination" && out[4] === "cluster") out[4] = "name";
  }
  return out;
}
