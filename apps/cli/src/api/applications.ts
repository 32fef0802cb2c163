import type { AppStatus, HistoryResult, SyncRequest } from "@flotilla/status";

// The Applications API's answers as the CLI reads them (see apps/api/src/schemas/applications.ts).

export type AppSummary = Omit<AppStatus, "resources"> & { resourceCount: number; driftedCount: number };

export interface AppPage {
  items: AppSummary[];
  next?: string;
}

export interface AppCondition {
  type: string;
  message: string;
  at?: string;
}

export interface ResourceDiff {
  id: string;
  paths: string[];
  differences?: { path: string; desired?: string; live?: string }[];
}

export interface AppDetail {
  cluster: string;
  appSet: string;
  application: string;
  spec?: Record<string, unknown>;
  status?: AppStatus;
  conditions: AppCondition[];
  diffs: ResourceDiff[];
  syncRequest?: SyncRequest;
}

export interface SyncAnswer {
  cluster: string;
  appSet: string;
  application: string;
  automated: boolean;
  desiredDigest: string;
  request?: SyncRequest;
}

export interface RefreshAnswer {
  cluster: string;
  appSet: string;
  application: string;
  enqueued: "sync" | "compare";
  desiredDigest: string;
  generatorCycle: boolean;
}

export interface HistoryItem {
  at: string;
  result: HistoryResult;
  revision?: string;
  fleetRevision?: string;
  bundleDigest?: string;
  jobId: string;
  message?: string;
}

export interface RevisionAtAnswer {
  cluster: string;
  appSet: string;
  application: string;
  at: string;
  revision: string | null;
  since?: string;
}

/** The path of one Application's routes; names are URL-encoded, whatever they hold. */
export function appPath(cluster: string, application: string, verb?: "sync" | "refresh" | "history"): string {
  const base = `/api/v1/applications/${encodeURIComponent(cluster)}/${encodeURIComponent(application)}`;
  return verb === undefined ? base : `${base}/${verb}`;
}
