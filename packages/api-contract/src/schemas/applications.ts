import { Type } from "typebox";
import { ClusterName, ObjectName } from "./common.ts";

// Every field the status model writes is listed: a response schema drops what it does not name.

export const SyncStatusSchema = Type.Union([Type.Literal("Synced"), Type.Literal("OutOfSync"), Type.Literal("Error")]);

export const HealthStatusSchema = Type.Union([
  Type.Literal("Healthy"),
  Type.Literal("Progressing"),
  Type.Literal("Degraded"),
  Type.Literal("Missing"),
  Type.Literal("Unknown"),
]);

const HookPhaseSchema = Type.Union([Type.Literal("PreSync"), Type.Literal("PostSync"), Type.Literal("SyncFail")], {
  description: "set for a hook's Job: the phase it ran in",
});

/** The hooks run for the desired state in force: they run once per desired state, not on every re-sync. */
const HookRunSchema = Type.Object(
  {
    desiredDigest: Type.String(),
    bundleDigest: Type.String(),
    phases: Type.Record(Type.String(), Type.Union([Type.Literal("Succeeded"), Type.Literal("Failed")])),
    message: Type.Optional(Type.String({ description: "why a phase failed: the hook Job and its reason" })),
    at: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

const FieldDifferenceSchema = Type.Object(
  {
    path: Type.String(),
    desired: Type.Optional(Type.String({ description: "JSON text of the value in Git; absent when Git lacks it" })),
    live: Type.Optional(Type.String({ description: "JSON text of the value on the cluster; absent when unset" })),
  },
  { additionalProperties: false },
);

const ResourceStatusSchema = Type.Object(
  {
    id: Type.String({ description: "group/kind/namespace/name" }),
    action: Type.String({
      description: "what the last sync did: created, configured, unchanged, deleted, skipped, stale",
    }),
    health: HealthStatusSchema,
    message: Type.Optional(Type.String()),
    drift: Type.Optional(Type.Array(Type.String(), { description: "field paths that differ from Git" })),
    diff: Type.Optional(Type.Array(FieldDifferenceSchema)),
    hook: Type.Optional(HookPhaseSchema),
  },
  { additionalProperties: false },
);

export const LastErrorSchema = Type.Object(
  {
    reason: Type.String(),
    message: Type.String(),
    at: Type.String({ format: "date-time" }),
    retrying: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** The fields a summary and a full status share. */
const statusFields = {
  cluster: Type.String(),
  appSet: Type.String(),
  application: Type.String(),
  sync: SyncStatusSchema,
  health: HealthStatusSchema,
  healthMessage: Type.Optional(Type.String()),
  revision: Type.Optional(Type.String({ description: "the source commit applied" })),
  fleetRevision: Type.Optional(Type.String({ description: "the fleet repository commit it was generated from" })),
  bundleDigest: Type.Optional(Type.String()),
  desiredDigest: Type.Optional(Type.String()),
  lastSyncAt: Type.String({ format: "date-time" }),
  syncMessage: Type.Optional(Type.String()),
  lastError: Type.Optional(LastErrorSchema),
  hooks: Type.Optional(HookRunSchema),
};

export const AppSummarySchema = Type.Object(
  {
    ...statusFields,
    resourceCount: Type.Integer({ description: "objects the Application has on the cluster" }),
    driftedCount: Type.Integer({ description: "objects that differ from Git or left it" }),
  },
  { additionalProperties: false },
);

export const AppStatusSchema = Type.Object(
  { ...statusFields, resources: Type.Array(ResourceStatusSchema) },
  { additionalProperties: false },
);

export const ConditionSchema = Type.Object(
  {
    type: Type.String({
      description:
        "SyncError, ComparisonError, OrphanedResourceWarning, DriftWarning, ManualSyncPending, SyncRequested, NotInGit",
    }),
    message: Type.String(),
    at: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);

export const ResourceDiffSchema = Type.Object(
  {
    id: Type.String(),
    paths: Type.Array(Type.String()),
    differences: Type.Optional(Type.Array(FieldDifferenceSchema)),
  },
  { additionalProperties: false },
);

export const SyncRequestSchema = Type.Object(
  { id: Type.String(), prune: Type.Boolean(), at: Type.String({ format: "date-time" }) },
  { additionalProperties: false },
);

export const AppDetailSchema = Type.Object(
  {
    cluster: Type.String(),
    appSet: Type.String(),
    application: Type.String(),
    spec: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: "the Application as the generator stored it" }),
    ),
    status: Type.Optional(AppStatusSchema),
    conditions: Type.Array(ConditionSchema),
    diffs: Type.Array(ResourceDiffSchema, { description: "desired vs live for each object that differs" }),
    syncRequest: Type.Optional(SyncRequestSchema),
  },
  { additionalProperties: false },
);

export const HistoryEntrySchema = Type.Object(
  {
    at: Type.String({ format: "date-time" }),
    result: Type.String(),
    revision: Type.Optional(Type.String()),
    fleetRevision: Type.Optional(Type.String()),
    bundleDigest: Type.Optional(Type.String()),
    jobId: Type.String(),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const AppParams = Type.Object(
  { cluster: ClusterName, application: ObjectName },
  { additionalProperties: false },
);

export const AppSetQuery = Type.Object({ appset: Type.Optional(ObjectName) }, { additionalProperties: false });

export const AppPageSchema = Type.Object(
  { items: Type.Array(AppSummarySchema), next: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const refFields = { cluster: Type.String(), appSet: Type.String(), application: Type.String() };

export const SyncAnswerSchema = Type.Object(
  {
    ...refFields,
    automated: Type.Boolean(),
    desiredDigest: Type.String({ description: "the state the sync applies; the status shows it after" }),
    request: Type.Optional(SyncRequestSchema),
  },
  { additionalProperties: false },
);

export const RefreshAnswerSchema = Type.Object(
  {
    ...refFields,
    enqueued: Type.Union([Type.Literal("sync"), Type.Literal("compare")]),
    desiredDigest: Type.String(),
    generatorCycle: Type.Boolean({ description: "a generator cycle was asked for, so Git is read again" }),
  },
  { additionalProperties: false },
);

export const HistoryPageSchema = Type.Object(
  { items: Type.Array(HistoryEntrySchema) },
  { additionalProperties: false },
);

export const RevisionAtSchema = Type.Object(
  {
    ...refFields,
    at: Type.String({ format: "date-time", description: "the time asked about" }),
    revision: Type.Union([Type.String(), Type.Null()], { description: "null: it was not there then" }),
    since: Type.Optional(Type.String({ format: "date-time", description: "when that revision ran" })),
  },
  { additionalProperties: false },
);
