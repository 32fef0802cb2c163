import { z } from "zod";
import { DURATION_EXAMPLES, parseDuration } from "./duration.ts";
import { clusterNameProblem } from "./names.ts";

// Every object is strict: an unknown field is a typo until proven otherwise, and typos must not pass silently.
// Limits keep hostile input from costing more than a bad file should.
const MAX_STRING = 64 * 1024;
const str = () => z.string().max(MAX_STRING);
const nonEmpty = () => str().min(1);
const stringMap = () => z.record(str(), str());

const paramValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([str(), z.number(), z.boolean(), z.null(), z.array(paramValue), z.record(str(), paramValue)]),
);

export const labelSelectorRequirement = z.strictObject({
  key: nonEmpty(),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: z.array(str()).optional(),
});

export const labelSelector = z.strictObject({
  matchLabels: stringMap().optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});

export const listGenerator = z.strictObject({
  elements: z.array(z.record(str(), paramValue)),
});

export const clustersGenerator = z.strictObject({
  selector: labelSelector.optional(),
  values: stringMap().optional(),
});

const gitPathEntry = z.strictObject({ path: nonEmpty(), exclude: z.boolean().optional() });

export const gitGenerator = z
  .strictObject({
    repoURL: nonEmpty(),
    revision: nonEmpty().optional(),
    directories: z.array(gitPathEntry).min(1).optional(),
    files: z.array(gitPathEntry).min(1).optional(),
    pathParamPrefix: str().optional(),
    values: stringMap().optional(),
  })
  .refine((g) => (g.directories === undefined) !== (g.files === undefined), {
    message: "expected exactly one of directories or files",
  });

export interface GeneratorSpec {
  list?: z.infer<typeof listGenerator>;
  clusters?: z.infer<typeof clustersGenerator>;
  git?: z.infer<typeof gitGenerator>;
  matrix?: { generators: GeneratorSpec[] };
  merge?: { mergeKeys: string[]; generators: GeneratorSpec[] };
}

const GENERATOR_KINDS = ["list", "clusters", "git", "matrix", "merge"] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export const generatorSpec: z.ZodType<GeneratorSpec> = z.lazy(() =>
  z
    .strictObject({
      list: listGenerator.optional(),
      clusters: clustersGenerator.optional(),
      git: gitGenerator.optional(),
      matrix: z.strictObject({ generators: z.array(generatorSpec).min(2).max(2) }).optional(),
      merge: z
        .strictObject({ mergeKeys: z.array(nonEmpty()).min(1), generators: z.array(generatorSpec).min(2) })
        .optional(),
    })
    .refine((g) => GENERATOR_KINDS.filter((k) => g[k] !== undefined).length === 1, {
      message: `expected exactly one generator kind of ${GENERATOR_KINDS.join(", ")}`,
    }),
);

export const source = z.strictObject({
  repoURL: nonEmpty(),
  targetRevision: str().optional(),
  path: str().optional(),
  chart: str().optional(),
  directory: z
    .strictObject({ recurse: z.boolean().optional(), include: str().optional(), exclude: str().optional() })
    .optional(),
  kustomize: z
    .strictObject({
      namePrefix: str().optional(),
      nameSuffix: str().optional(),
      namespace: str().optional(),
      images: z.array(str()).optional(),
      commonLabels: stringMap().optional(),
      commonAnnotations: stringMap().optional(),
    })
    .optional(),
  helm: z
    .strictObject({
      releaseName: str().optional(),
      valueFiles: z.array(str()).optional(),
      values: str().optional(),
      valuesObject: z.record(str(), paramValue).optional(),
      parameters: z.array(z.strictObject({ name: nonEmpty(), value: str() })).optional(),
    })
    .optional(),
});

export const destination = z
  .strictObject({ cluster: str().optional(), server: str().optional(), namespace: str().optional() })
  .refine((d) => d.cluster !== undefined || d.server !== undefined, {
    message: "expected destination.cluster or destination.server",
  });

export const applicationSyncPolicy = z.strictObject({
  automated: z.strictObject({ prune: z.boolean().optional(), selfHeal: z.boolean().optional() }).optional(),
  syncOptions: z.array(str()).optional(),
  retry: z
    .strictObject({
      limit: z.number().int().min(0).optional(),
      backoff: z
        .strictObject({ duration: str().optional(), factor: z.number().optional(), maxDuration: str().optional() })
        .optional(),
    })
    .optional(),
});

export const objectMeta = z.strictObject({
  name: nonEmpty(),
  namespace: str().optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  finalizers: z.array(str()).optional(),
});

export const applicationSpec = z.strictObject({
  project: str().optional(),
  source,
  destination,
  syncPolicy: applicationSyncPolicy.optional(),
});

export const applicationTemplate = z.strictObject({ metadata: objectMeta, spec: applicationSpec });

const percent = z.union([
  z.number().min(0).max(100),
  z.string().regex(/^(100|[1-9]?[0-9])%$/, "expected a percentage like 50%"),
]);

export const rollingSyncStep = z.strictObject({
  matchExpressions: z.array(labelSelectorRequirement),
  // Any number or string passes here: strategyProblems refuses a bad one with what to write instead.
  maxUpdate: z.union([z.number(), z.string()]).optional(),
});

export const applicationSetSpec = z.strictObject({
  goTemplate: z.boolean().optional(),
  generators: z.array(generatorSpec).min(1),
  template: applicationTemplate,
  templatePatch: str().optional(),
  syncPolicy: z
    .strictObject({
      applicationsSync: z.enum(["sync", "create-only", "create-update", "create-delete"]).optional(),
      preserveResourcesOnDeletion: z.boolean().optional(),
      deletionGuard: z
        .strictObject({
          enabled: z.boolean().optional(),
          maxDeletion: percent.optional(),
          window: z
            .union([z.string(), z.number()], { error: `expected a duration like ${DURATION_EXAMPLES}` })
            .superRefine((text, ctx) => {
              const parsed = parseDuration(text);
              if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem });
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  strategy: z
    .strictObject({
      type: z.enum(["AllAtOnce", "RollingSync"]),
      rollingSync: z.strictObject({ steps: z.array(rollingSyncStep).min(1) }).optional(),
    })
    .optional(),
});

export const applicationSetSchema = z.strictObject({
  apiVersion: z.literal("flotilla.dev/v1alpha1"),
  kind: z.literal("ApplicationSet"),
  metadata: z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "expected a DNS-1123 label"),
    namespace: str().optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  }),
  spec: applicationSetSpec,
});

export const applicationSchema = z.strictObject({
  apiVersion: z.literal("flotilla.dev/v1alpha1"),
  kind: z.literal("Application"),
  metadata: objectMeta,
  spec: applicationSpec,
});

export const clusterSchema = z.strictObject({
  name: z.string().superRefine((name, ctx) => {
    const problem = clusterNameProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: `"${name}" ${problem}` });
  }),
  server: nonEmpty(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
});
