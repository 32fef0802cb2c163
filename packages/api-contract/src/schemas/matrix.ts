import { Type } from "typebox";
import { Labels } from "./common.ts";

const list = (description: string) => Type.Optional(Type.String({ maxLength: 16_384, description }));

/** `GET /api/v1/matrix`'s query: every filter optional, lists comma-separated. */
export const MatrixQuery = Type.Object(
  {
    appSet: list("only these ApplicationSets' rows (comma-separated names)"),
    cluster: list("only these clusters' columns (comma-separated names)"),
    selector: Type.Optional(
      Type.String({
        maxLength: 4096,
        description:
          "only clusters whose labels match, kubectl syntax: `env=prod,tier!=db,region in (eu,us),!legacy,team`",
      }),
    ),
    sync: list("only Applications with one of these syncs: Synced, OutOfSync, Error, Unknown (comma-separated)"),
    health: list(
      "only Applications with one of these healths: Healthy, Progressing, Degraded, Missing, Unknown (comma-separated)",
    ),
  },
  { additionalProperties: false },
);

const count = Type.Integer({ minimum: 0 });
const optionalCounts = (keys: readonly string[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Optional(count)])), { additionalProperties: false });

/** The whole fleet matrix in one answer (FleetMatrix). */
export const FleetMatrixSchema = Type.Object(
  {
    generatedAt: Type.String({ format: "date-time" }),
    columns: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          labels: Labels,
          reachable: Type.Union([Type.Boolean(), Type.Null()], {
            description: "null when not known (no heartbeat or recent contact yet)",
          }),
        },
        { additionalProperties: false },
      ),
      { description: "clusters, sorted by name" },
    ),
    rows: Type.Array(
      Type.Object(
        {
          appSet: Type.String(),
          cells: Type.String({
            pattern: "^([SOEU][HPDMU]|\\.\\.)*$",
            description:
              "2 characters per column, in column order: the worst sync (S Synced, O OutOfSync, E Error, U Unknown) " +
              "and the worst health (H Healthy, P Progressing, D Degraded, M Missing, U Unknown) of the cell's " +
              "Applications; `..` for none",
          }),
          multi: Type.Record(Type.String({ pattern: "^[0-9]+$" }), Type.Integer({ minimum: 2 }), {
            description: "column index → Applications in that cell, only for cells holding more than one",
          }),
        },
        { additionalProperties: false },
      ),
      { description: "ApplicationSets, sorted by name" },
    ),
    totals: Type.Object(
      {
        applications: count,
        sync: optionalCounts(["Synced", "OutOfSync", "Error", "Unknown"]),
        health: optionalCounts(["Healthy", "Progressing", "Degraded", "Missing", "Unknown"]),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
