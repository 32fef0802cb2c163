import {
  API_VERSION,
  APPSET_LABEL,
  type Application,
  type ApplicationSet,
  applicationFieldProblems,
  applicationSchema,
  type ClusterIndex,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  formatFieldPath,
  type Params,
  resolveDestination,
} from "@flotilla/core";
import { mergePatch, renderFields, renderString, renderTemplatePatch } from "@flotilla/template";

/** An element that rendered into something that is not a valid Application. */
export class InvalidApplicationError extends Error {
  override readonly name = "InvalidApplicationError";
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
  }
}

export interface RenderContext {
  appSet: ApplicationSet;
  clusters: ClusterIndex;
}

/** Renders only the name, so that an element failing later still protects its existing Application. */
export function renderApplicationName(appSet: ApplicationSet, params: Params): string {
  return renderString(appSet.spec.template.metadata.name, params, { fieldPath: "metadata.name" });
}

/** Template strings that are YAML text read later: a parameter value must not change their structure either. */
const YAML_TEXT_FIELDS = [["spec", "source", "helm", "values"]] as const;

/**
 * One generator element → one Application. String fields are rendered one by one, so a parameter value can never
 * inject YAML structure; `helm.values` and `templatePatch`, which are YAML text, are parsed before values are put
 * into their scalars (see `renderYamlDocument`). A templatePatch may change the shape (its text, not its values),
 * so its result is validated against the Application schema again.
 */
export function renderApplication(ctx: RenderContext, params: Params): Application {
  const { appSet } = ctx;
  let rendered = renderFields(appSet.spec.template, params, [], { yamlTextFields: YAML_TEXT_FIELDS }) as Record<
    string,
    unknown
  >;
  if (appSet.spec.templatePatch !== undefined) {
    rendered = mergePatch(rendered, renderTemplatePatch(appSet.spec.templatePatch, params)) as Record<string, unknown>;
  }
  const metadata = (rendered.metadata ?? {}) as Record<string, unknown>;
  const candidate = {
    apiVersion: API_VERSION,
    kind: "Application",
    metadata: {
      ...metadata,
      labels: { ...(metadata.labels as Record<string, string> | undefined), [APPSET_LABEL]: appSet.metadata.name },
    },
    spec: rendered.spec,
  };
  const app =
    appSet.spec.templatePatch === undefined ? (candidate as unknown as Application) : validateShape(candidate);
  checkContent(app);
  return withResolvedDestination(app, ctx.clusters);
}

function validateShape(candidate: unknown): Application {
  const result = applicationSchema.safeParse(candidate);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const path = formatFieldPath(first.path as (string | number)[]);
  const reason =
    first.code === "unrecognized_keys"
      ? `unknown field(s) ${first.keys.join(", ")} after templatePatch`
      : first.message;
  throw new InvalidApplicationError(path || "(application)", reason);
}

// The template passed the schema when the file was parsed and rendering keeps its shape, so only what a
// parameter value can change is checked here: names, and where the Application goes.
function checkContent(app: Application): void {
  const nameProblem = dns1123SubdomainProblem(app.metadata.name);
  if (nameProblem) throw new InvalidApplicationError("metadata.name", `"${app.metadata.name}" ${nameProblem}`);
  const dest = app.spec.destination;
  if (dest.namespace !== undefined && dest.namespace !== "") {
    const nsProblem = dns1123LabelProblem(dest.namespace);
    if (nsProblem) throw new InvalidApplicationError("spec.destination.namespace", `"${dest.namespace}" ${nsProblem}`);
  }
  if (app.spec.source.repoURL === "") throw new InvalidApplicationError("spec.source.repoURL", "must not be empty");
  // The file's own check left templated strings (and templatePatch output) to this point, once their values are known.
  const [refused] = applicationFieldProblems(app);
  if (refused !== undefined) throw new InvalidApplicationError(formatFieldPath(refused.path), refused.message);
}

/**
 * Where the Application goes, resolved once, here, for every reader: the registered cluster's name is recorded in
 * `destination.cluster`, so that jobs, queue names, store keys, history, deletes and re-syncs all use it and never
 * derive anything from a server URL. An unregistered destination is this element's error.
 */
function withResolvedDestination(app: Application, clusters: ClusterIndex): Application {
  const resolved = resolveDestination(app.spec.destination, clusters);
  if (!resolved.ok) throw new InvalidApplicationError(resolved.field, resolved.message);
  if (app.spec.destination.cluster === resolved.cluster) return app;
  return { ...app, spec: { ...app.spec, destination: { ...app.spec.destination, cluster: resolved.cluster } } };
}
