import { Type } from "typebox";
import { HealthStatusSchema, SyncStatusSchema } from "./applications.ts";
import { ElementErrorSchema } from "./appsets.ts";

export const Reachability = Type.Union([
  Type.Literal("Connected"),
  Type.Literal("HeartbeatStale"),
  Type.Literal("NeverSeen"),
  Type.Literal("Unserved"),
]);

const count = Type.Integer({ minimum: 0 });
const counts = <K extends string>(keys: readonly K[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>, {
    additionalProperties: false,
  });

/** One Application on one cluster in a line (AppSummary). */
export const AppSummarySchema = Type.Object(
  {
    appSet: Type.String(),
    application: Type.String(),
    cluster: Type.String(),
    sync: SyncStatusSchema,
    health: HealthStatusSchema,
    revision: Type.Optional(Type.String()),
    lastSyncAt: Type.String({ description: "ISO-8601 of the last sync attempt" }),
    message: Type.Optional(Type.String({ description: "why it is not Synced and Healthy" })),
  },
  { additionalProperties: false },
);

export const GenerationRecordSchema = Type.Object(
  {
    appSet: Type.String(),
    commit: Type.String(),
    time: Type.String(),
    counts: counts(["applications", "creates", "updates", "deletes", "unchanged", "errors"] as const),
    errors: Type.Array(ElementErrorSchema),
    errorsTruncated: Type.Boolean(),
    held: Type.Optional(
      Type.Object({ count, names: Type.Array(Type.String()), reason: Type.String() }, { additionalProperties: false }),
    ),
    generatorError: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const HoldRecordSchema = Type.Object(
  {
    appSet: Type.String(),
    kind: Type.Union([Type.Literal("shrink"), Type.Literal("removed")]),
    reason: Type.String(),
    applications: Type.Array(
      Type.Object(
        { application: Type.String(), cluster: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    since: Type.String(),
    commit: Type.String(),
  },
  { additionalProperties: false },
);

export const PendingDeletionSchema = Type.Object(
  {
    cluster: Type.String(),
    appSet: Type.String(),
    application: Type.String(),
    preserveResources: Type.Boolean(),
    revision: Type.Optional(Type.String()),
    attempts: count,
    lastError: Type.String(),
    since: Type.Number({ description: "epoch ms of the first failed attempt" }),
    lastAttemptAt: Type.Number(),
    nextAttemptAt: Type.Number(),
  },
  { additionalProperties: false },
);

export const LostClusterSchema = Type.Object(
  { name: Type.String(), server: Type.String(), lostAt: Type.String(), detectedBy: Type.String() },
  { additionalProperties: false },
);

const ClusterProblemSchema = Type.Object(
  {
    name: Type.String(),
    server: Type.String(),
    mode: Type.Union([Type.Literal("pool"), Type.Literal("agent")]),
    reachability: Reachability,
    lastSeen: Type.Optional(Type.String({ description: "ISO-8601 of the agent's last heartbeat" })),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/status` (FleetSummary). */
export const FleetSummarySchema = Type.Object(
  {
    well: Type.Boolean({ description: "true when nothing in problems needs attention" }),
    applications: Type.Object(
      {
        total: count,
        sync: counts(["Synced", "OutOfSync", "Error"] as const),
        health: counts(["Healthy", "Progressing", "Degraded", "Missing", "Unknown"] as const),
      },
      { additionalProperties: false },
    ),
    clusters: Type.Object(
      { total: count, reachability: counts(["Connected", "HeartbeatStale", "NeverSeen", "Unserved"] as const) },
      { additionalProperties: false },
    ),
    problems: Type.Object(
      {
        applications: Type.Object(
          {
            count: Type.Integer({ minimum: 0, description: "exact; items holds the first `limit` by name" }),
            items: Type.Array(AppSummarySchema),
          },
          { additionalProperties: false },
        ),
        generations: Type.Array(GenerationRecordSchema),
        holds: Type.Array(HoldRecordSchema),
        pendingDeletions: Type.Array(PendingDeletionSchema),
        lostClusters: Type.Array(LostClusterSchema),
        unservedClusters: Type.Array(ClusterProblemSchema),
        staleAgents: Type.Array(ClusterProblemSchema),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
