import { Type } from "typebox";
import { RolloutSchema } from "./rollout.ts";

/** A Kubernetes-style document whose shape the core schema owns (an ApplicationSet, an Application): passed whole. */
const Document = (description: string) => Type.Object({}, { additionalProperties: true, description });

export const ElementErrorSchema = Type.Object(
  {
    appSet: Type.String(),
    element: Type.Integer({ description: "position of the element in the generators' output" }),
    application: Type.Optional(Type.String({ description: "the Application's name, when rendering got that far" })),
    field: Type.Optional(Type.String({ description: "the template field that failed" })),
    params: Type.String({ description: "the element's parameters, to find it" }),
    source: Type.Optional(Type.String({ description: "the source that failed, `<repo> at <commit>: <path>`" })),
    message: Type.String(),
  },
  { additionalProperties: false },
);

const Counts = Type.Object(
  {
    applications: Type.Integer(),
    creates: Type.Integer(),
    updates: Type.Integer(),
    deletes: Type.Integer(),
    unchanged: Type.Integer(),
    errors: Type.Integer(),
  },
  { additionalProperties: false },
);

const GenerationRecordSchema = Type.Object(
  {
    appSet: Type.String(),
    commit: Type.String(),
    time: Type.String({ format: "date-time" }),
    counts: Counts,
    errors: Type.Array(ElementErrorSchema),
    errorsTruncated: Type.Boolean(),
    held: Type.Optional(
      Type.Object(
        { count: Type.Integer(), names: Type.Array(Type.String()), reason: Type.String() },
        { additionalProperties: false },
      ),
    ),
    generatorError: Type.Optional(Type.String()),
    file: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const HeldApplication = Type.Object(
  { application: Type.String(), cluster: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const HoldSchema = Type.Object(
  {
    appSet: Type.String(),
    kind: Type.Union([Type.Literal("shrink"), Type.Literal("removed")]),
    reason: Type.String(),
    applications: Type.Array(HeldApplication),
    since: Type.String({ format: "date-time" }),
    commit: Type.String(),
  },
  { additionalProperties: false },
);

const summaryFields = {
  name: Type.String(),
  file: Type.Optional(Type.String({ description: "the fleet file it was last read from" })),
  commit: Type.String({ description: "the fleet commit of its last generation" }),
  lastGeneration: Type.String({ format: "date-time" }),
  counts: Counts,
  held: Type.Integer({ description: "Applications whose deletion is held" }),
  generatorError: Type.Optional(Type.String()),
  removed: Type.Boolean({ description: "it left Git; its Applications are held until released or dismissed" }),
  frozen: Type.Boolean({ description: "its last generation failed; the one before stays in force" }),
};

export const AppSetSummarySchema = Type.Object(summaryFields, { additionalProperties: false });

export const AppSetDetailSchema = Type.Object(
  {
    ...summaryFields,
    spec: Type.Optional(Document("the ApplicationSet as last read from Git")),
    specCommit: Type.Optional(Type.String()),
    lastGenerationRecord: GenerationRecordSchema,
    hold: Type.Optional(HoldSchema),
    pendingDecision: Type.Optional(
      Type.Object(
        {
          action: Type.Union([Type.Literal("release"), Type.Literal("dismiss")]),
          at: Type.String({ format: "date-time" }),
          applications: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    dismissed: Type.Array(Type.String()),
    rollout: Type.Optional(RolloutSchema),
  },
  { additionalProperties: false },
);

/** The body of diff and preview: ApplicationSet files as YAML text, each under the name messages will use. */
export const PostedFilesSchema = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 255, pattern: "^[^\\r\\n]+$" }),
          content: Type.String(),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

const locatedFields = {
  appSet: Type.String(),
  file: Type.String({ description: "the posted file's name" }),
  line: Type.Integer(),
};

export const PreviewResponseSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          ...locatedFields,
          applications: Type.Array(Document("an Application as the generator would store it")),
          errors: Type.Array(ElementErrorSchema),
          generatorError: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Change = { application: Type.String(), cluster: Type.String() };

export const DiffResponseSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          ...locatedFields,
          stored: Type.Boolean({ description: "whether it has Applications in force" }),
          creates: Type.Array(Type.Object(Change, { additionalProperties: false })),
          updates: Type.Array(
            Type.Object(
              { ...Change, fields: Type.Array(Type.String(), { description: "dotted paths that change" }) },
              { additionalProperties: false },
            ),
          ),
          deletes: Type.Array(
            Type.Object(
              {
                application: Type.String(),
                cluster: Type.Optional(Type.String()),
                held: Type.Boolean({ description: "the deletion guard would hold it" }),
              },
              { additionalProperties: false },
            ),
          ),
          unchanged: Type.Integer(),
          errors: Type.Array(ElementErrorSchema),
          generatorError: Type.Optional(Type.String()),
          held: Type.Optional(
            Type.Object({ count: Type.Integer(), reason: Type.String() }, { additionalProperties: false }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const HoldDecisionResponseSchema = Type.Object(
  {
    appSet: Type.String(),
    action: Type.Union([Type.Literal("release"), Type.Literal("dismiss")]),
    kind: Type.Union([Type.Literal("shrink"), Type.Literal("removed")]),
    applications: Type.Array(HeldApplication),
    at: Type.String({ format: "date-time" }),
    message: Type.String({ description: "what the generator's next cycle will do" }),
  },
  { additionalProperties: false },
);
