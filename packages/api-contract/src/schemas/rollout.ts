import { Type } from "typebox";

const Change = Type.Union([Type.Literal("update"), Type.Literal("delete")]);
const MaxUpdate = Type.Union([
  Type.Object({ kind: Type.Literal("count"), count: Type.Integer({ minimum: 0 }) }),
  Type.Object({ kind: Type.Literal("percent"), percent: Type.Integer({ minimum: 0, maximum: 100 }) }),
]);
const Time = Type.String({ format: "date-time" });

/** A RollingSync rollout as the store keeps it: steps in the order they run, then each changed Application. */
export const RolloutSchema = Type.Object(
  {
    id: Type.String(),
    appSet: Type.String(),
    commit: Type.String({ description: "the fleet commit whose generation this rollout carries" }),
    startedAt: Time,
    updatedAt: Time,
    phase: Type.Union([Type.Literal("Progressing"), Type.Literal("Halted"), Type.Literal("Completed")]),
    steps: Type.Array(
      Type.Object({
        index: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
          description: "the spec's step (0-based), or null for Applications matching no step",
        }),
        change: Change,
        maxUpdate: MaxUpdate,
        state: Type.Union([
          Type.Literal("Waiting"),
          Type.Literal("Gated"),
          Type.Literal("Progressing"),
          Type.Literal("Halted"),
          Type.Literal("Completed"),
        ]),
        promoted: Type.Optional(Type.Boolean()),
        startedAt: Type.Optional(Time),
        completedAt: Type.Optional(Time),
      }),
    ),
    applications: Type.Array(
      Type.Object({
        application: Type.String(),
        cluster: Type.String(),
        change: Change,
        step: Type.Integer({ minimum: 0, description: "index into steps" }),
        desiredDigest: Type.Optional(Type.String()),
        state: Type.Union([
          Type.Literal("Waiting"),
          Type.Literal("Pending"),
          Type.Literal("Progressing"),
          Type.Literal("Healthy"),
          Type.Literal("Halted"),
        ]),
        releasedAt: Type.Optional(Time),
        doneAt: Type.Optional(Time),
        message: Type.Optional(Type.String()),
        waived: Type.Optional(Type.Boolean()),
      }),
    ),
    condition: Type.Optional(
      Type.Object({
        reason: Type.Union([Type.Literal("Degraded"), Type.Literal("SyncFailed"), Type.Literal("DeleteFailed")]),
        application: Type.String(),
        cluster: Type.String(),
        message: Type.String(),
        at: Time,
      }),
    ),
  },
  { description: "absent when the ApplicationSet has no rollout (AllAtOnce, or nothing changed since)" },
);

export const RolloutRequestSchema = Type.Object(
  {
    request: Type.Object({
      action: Type.Union([Type.Literal("promote"), Type.Literal("resume")]),
      rollout: Type.String(),
      at: Time,
    }),
  },
  { additionalProperties: false },
);
