// The API's answers as the dashboard reads them: the API's own types (derived from the schemas its routes
// validate), imported for their types only, so an answer's shape is declared once. The names below are the parts
// the dashboard draws.
import type { AppDetail, AppSetDetail, AppSummary, FleetMatrix } from "@flotilla/api-contract/types";

export type {
  AppDetail,
  AppPage,
  AppSetDetail,
  AppSummary,
  ClusterView as Cluster,
  DiffItem,
  FleetMatrix,
  HistoryItem as HistoryEntry,
  HoldDecisionAnswer as HoldDecision,
  PreviewItem,
  RevisionAtAnswer as RevisionAt,
  WhoAmI,
} from "@flotilla/api-contract/types";

/** The matrix also draws "Unknown": a cell whose Application has no status yet. */
export type SyncStatus = AppSummary["sync"] | "Unknown";
export type HealthStatus = AppSummary["health"];
export type ResourceStatus = NonNullable<AppDetail["status"]>["resources"][number];
export type FieldDifference = NonNullable<ResourceStatus["diff"]>[number];
export type LastError = NonNullable<NonNullable<AppDetail["status"]>["lastError"]>;
export type ElementError = AppSetDetail["lastGenerationRecord"]["errors"][number];
export type GenerationCounts = AppSetDetail["counts"];
export type HeldApplication = NonNullable<AppSetDetail["hold"]>["applications"][number];
export type MatrixColumn = FleetMatrix["columns"][number];
export type MatrixRow = FleetMatrix["rows"][number];
export type Rollout = NonNullable<AppSetDetail["rollout"]>;
