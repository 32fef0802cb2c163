// The API's answers as TypeScript types, derived from the schemas its routes validate: clients (the CLI, the
// dashboard) import these with `import type`, so an answer's shape is declared once, where the server checks it.
import type { Application, ApplicationSet } from "@flotilla/core";
import type { Static } from "typebox";
import type {
  AppDetailSchema,
  AppPageSchema,
  AppSummarySchema,
  HistoryEntrySchema,
  RefreshAnswerSchema,
  ResourceDiffSchema,
  RevisionAtSchema,
  SyncAnswerSchema,
} from "./schemas/applications.ts";
import type {
  AppSetDetailSchema,
  AppSetSummarySchema,
  DiffResponseSchema,
  HoldDecisionResponseSchema,
  PreviewResponseSchema,
} from "./schemas/appsets.ts";
import type {
  ClusterForgottenSchema,
  ClusterSchema,
  JoinSecretSchema,
  RemovalStartedSchema,
} from "./schemas/clusters.ts";
import type { FleetMatrixSchema } from "./schemas/matrix.ts";
import type { WhoAmISchema } from "./schemas/tokens.ts";

export type AppSummary = Static<typeof AppSummarySchema>;
export type AppPage = Static<typeof AppPageSchema>;
export type AppDetail = Static<typeof AppDetailSchema>;
export type ResourceDiff = Static<typeof ResourceDiffSchema>;
export type HistoryItem = Static<typeof HistoryEntrySchema>;
export type SyncAnswer = Static<typeof SyncAnswerSchema>;
export type RefreshAnswer = Static<typeof RefreshAnswerSchema>;
export type RevisionAtAnswer = Static<typeof RevisionAtSchema>;

export type AppSetSummary = Static<typeof AppSetSummarySchema>;
// Documents are open objects in the schemas (the server does not re-validate what it generated): named here.
export type AppSetDetail = Omit<Static<typeof AppSetDetailSchema>, "spec"> & { spec?: ApplicationSet };
export type PreviewItem = Omit<Static<typeof PreviewResponseSchema>["items"][number], "applications"> & {
  applications: Application[];
};
export type DiffItem = Static<typeof DiffResponseSchema>["items"][number];
export type HoldDecisionAnswer = Static<typeof HoldDecisionResponseSchema>;

export type ClusterView = Static<typeof ClusterSchema>;
export type ClusterApplication = Static<typeof ClusterForgottenSchema>["applications"][number];
export type RemovalAnswer = Static<typeof RemovalStartedSchema> | Static<typeof ClusterForgottenSchema>;
export interface RegisterAnswer {
  cluster: ClusterView;
  agent?: Static<typeof JoinSecretSchema>;
}

export type FleetMatrix = Static<typeof FleetMatrixSchema>;
export type WhoAmI = Static<typeof WhoAmISchema>;
