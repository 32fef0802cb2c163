import { Type } from "typebox";
import { ClusterName, Labels, ObjectName } from "./common.ts";

const Annotations = Type.Record(Type.String({ minLength: 1, maxLength: 317 }), Type.String({ maxLength: 65_536 }), {
  maxProperties: 256,
});

const Count = Type.Integer({ minimum: 0 });

export const RegisterBody = Type.Object(
  {
    name: ClusterName,
    mode: Type.Optional(
      Type.Union([Type.Literal("pool"), Type.Literal("agent")], {
        description: "pool (default): workers reach it with the kubeconfig's credentials; agent: an agent inside it",
      }),
    ),
    kubeconfig: Type.Optional(
      Type.String({ minLength: 1, description: "pool mode: kubeconfig text; its context is stored, encrypted" }),
    ),
    context: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: "default: current-context" })),
    server: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, description: "agent mode: its API server URL, if known" }),
    ),
    labels: Type.Optional(Labels),
    annotations: Type.Optional(Annotations),
  },
  { additionalProperties: false },
);

export const RegisterQuery = Type.Object(
  { overwrite: Type.Optional(Type.Boolean({ description: "replace an existing registration", default: false })) },
  { additionalProperties: false },
);

export const ClusterParams = Type.Object({ name: ClusterName });

export const RemoveQuery = Type.Object(
  {
    orphan: Type.Optional(
      Type.Boolean({ description: "forget its Applications and leave their objects on the cluster", default: false }),
    ),
  },
  { additionalProperties: false },
);

export const LabelsBody = Type.Object(
  {
    set: Type.Optional(Labels),
    remove: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 317 }), { maxItems: 256 })),
  },
  { additionalProperties: false },
);

const Reachability = Type.Object(
  {
    status: Type.Union([Type.Literal("Reachable"), Type.Literal("Unreachable"), Type.Literal("Unknown")]),
    source: Type.Union([Type.Literal("heartbeat"), Type.Literal("worker"), Type.Literal("none")]),
    at: Type.Optional(Type.String({ format: "date-time" })),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Removal = Type.Object(
  {
    since: Type.String({ format: "date-time" }),
    remaining: Count,
    held: Type.Array(
      Type.Object(
        { appSet: ObjectName, applications: Type.Array(Type.String()), reason: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "set while the cluster is being removed" },
);

export const ClusterSchema = Type.Object(
  {
    name: Type.String(),
    server: Type.String(),
    mode: Type.Union([Type.Literal("pool"), Type.Literal("agent")]),
    labels: Type.Record(Type.String(), Type.String()),
    annotations: Type.Record(Type.String(), Type.String()),
    hasCredentials: Type.Boolean(),
    updatedAt: Type.String({ format: "date-time" }),
    reachability: Reachability,
    lastHeartbeat: Type.Optional(Type.String({ format: "date-time" })),
    queue: Type.Object(
      { waiting: Count, active: Count, delayed: Count, failed: Count },
      { additionalProperties: false },
    ),
    servedBy: Type.Optional(
      Type.Object(
        { kind: Type.Union([Type.Literal("pool-worker"), Type.Literal("agent")]), id: Type.String() },
        { additionalProperties: false },
      ),
    ),
    applications: Count,
    removing: Type.Optional(Removal),
  },
  { additionalProperties: false },
);

export const JoinSecretSchema = Type.Object(
  {
    user: Type.String(),
    password: Type.String(),
    rules: Type.Array(Type.String()),
    env: Type.Record(Type.String(), Type.String()),
  },
  { additionalProperties: false, description: "returned once: Redis keeps only a hash of the password" },
);

const ClusterApplication = Type.Object(
  { appSet: Type.String(), application: Type.String() },
  { additionalProperties: false },
);

export const RemovalStartedSchema = Type.Object(
  {
    cluster: Type.String(),
    orphan: Type.Literal(false),
    since: Type.String({ format: "date-time" }),
    applications: Type.Array(ClusterApplication),
    appSets: Type.Array(
      Type.Object(
        { appSet: Type.String(), deleting: Count, of: Count, likelyHeld: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
    message: Type.String(),
  },
  { additionalProperties: false },
);

export const ClusterForgottenSchema = Type.Object(
  {
    cluster: Type.String(),
    orphan: Type.Literal(true),
    applications: Type.Array(ClusterApplication),
    message: Type.String(),
  },
  { additionalProperties: false },
);
