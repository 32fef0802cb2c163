import type { ApplicationSet } from "./appset.ts";
import type { FieldPath } from "./field-path.ts";
import { firstGoExpression } from "./go-template.ts";
import { checkRetry, type RetrySpec } from "./retry-policy.ts";
import { strategyProblems } from "./rollout-strategy.ts";
import { syncOptionProblem } from "./sync-options.ts";

/**
 * Fields the schema lets through but Flotilla cannot honour as written. Each is refused with a sentence saying
 * what to write instead: a field accepted and then ignored is a promise broken in silence.
 */
export interface FieldProblem {
  path: FieldPath;
  message: string;
}

/** A template expression's value is known only once rendered: such strings are checked on the rendered Application. */
const isTemplated = (text: string): boolean => text.includes("{{");

/** An Application as the template or the rendered output has it: only the fields these rules read. */
interface ApplicationLike {
  metadata: { namespace?: string | undefined; finalizers?: string[] | undefined };
  spec: {
    project?: string | undefined;
    source: { chart?: string | undefined };
    syncPolicy?: { syncOptions?: string[] | undefined; retry?: RetrySpec | undefined } | undefined;
  };
}

/**
 * Problems of one Application (a template, or an Application as rendered), paths from the Application's root.
 * With `templated` set, strings holding template expressions are left for the rendered Application.
 */
export function applicationFieldProblems(app: ApplicationLike, templated = false): FieldProblem[] {
  const skip = (text: string) => templated && isTemplated(text);
  const out: FieldProblem[] = [];
  const { metadata, spec } = app;
  if (metadata.namespace !== undefined) {
    out.push({
      path: ["metadata", "namespace"],
      message:
        "an Application is not a Kubernetes object in Flotilla, so it has no namespace; remove metadata.namespace (the namespace of what it deploys is spec.destination.namespace)",
    });
  }
  if (metadata.finalizers !== undefined) {
    out.push({
      path: ["metadata", "finalizers"],
      message:
        "Flotilla deletes an Application's objects through its deletion guard when the Application leaves its ApplicationSet, not through finalizers; remove metadata.finalizers (to keep the objects, set the ApplicationSet's spec.syncPolicy.preserveResourcesOnDeletion: true)",
    });
  }
  if (spec.project !== undefined && spec.project !== "default" && !skip(spec.project)) {
    out.push({
      path: ["spec", "project"],
      message: `"${spec.project}": Flotilla has no AppProjects, so only "default" is accepted; remove spec.project or write "default"`,
    });
  }
  if (spec.source.chart !== undefined) {
    out.push({
      path: ["spec", "source", "chart"],
      message:
        "charts from Helm repositories are not supported (a commit must pin what is deployed); commit the chart to Git, remove source.chart and point source.path at the directory holding its Chart.yaml",
    });
  }
  spec.syncPolicy?.syncOptions?.forEach((entry, i) => {
    if (skip(entry)) return;
    const problem = syncOptionProblem(entry);
    if (problem !== undefined) out.push({ path: ["spec", "syncPolicy", "syncOptions", i], message: problem });
  });
  const retry = spec.syncPolicy?.retry;
  if (retry !== undefined) {
    for (const p of checkRetry(retry, skip).problems) {
      out.push({ path: ["spec", "syncPolicy", "retry", ...p.path], message: p.message });
    }
  }
  return out;
}

/** Problems of a whole ApplicationSet that passed the schema: its own fields, then its template's. */
export function applicationSetFieldProblems(appSet: ApplicationSet): FieldProblem[] {
  const out: FieldProblem[] = [];
  const { spec } = appSet;
  if (appSet.metadata.namespace !== undefined) {
    out.push({
      path: ["metadata", "namespace"],
      message:
        "an ApplicationSet is read from Git, not from a namespace; remove metadata.namespace (its name alone identifies it)",
    });
  }
  if (spec.goTemplate === true) {
    const go = firstGoExpression([spec.template, spec.templatePatch]);
    const hint =
      go === undefined
        ? "parameters are written {{name}}, {{metadata.labels.env}}, {{path.basename}}"
        : `write ${go.found} as ${go.handlebars}`;
    out.push({
      path: ["spec", "goTemplate"],
      message: `Go templates are not supported: Flotilla's templates are Handlebars; remove goTemplate and ${hint}`,
    });
  }
  out.push(...strategyProblems(appSet));
  for (const p of applicationFieldProblems(spec.template, true))
    out.push({ ...p, path: ["spec", "template", ...p.path] });
  return out;
}
