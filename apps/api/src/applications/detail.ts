import type { Application } from "@flotilla/core";
import type { AppStatus, SyncRequest } from "@flotilla/status";
import { type AppCondition, conditionsOf } from "./conditions.ts";

export interface ResourceDiff {
  id: string;
  paths: string[];
  differences?: { path: string; desired?: string; live?: string }[];
}

export interface AppDetail {
  cluster: string;
  appSet: string;
  application: string;
  spec?: Application;
  status?: AppStatus;
  conditions: AppCondition[];
  diffs: ResourceDiff[];
  syncRequest?: SyncRequest;
}

export interface DetailInput {
  ref: { cluster: string; appSet: string; application: string };
  status: AppStatus | undefined;
  spec: Application | undefined;
  request: SyncRequest | undefined;
}

/** The full answer of `GET /applications/:cluster/:application`: status, spec, conditions and diffs. */
export function detailOf(input: DetailInput): AppDetail {
  const { ref, status, spec, request } = input;
  const diffs: ResourceDiff[] = (status?.resources ?? [])
    .filter((r) => r.drift !== undefined)
    .map((r) => ({ id: r.id, paths: r.drift ?? [], ...(r.diff !== undefined && { differences: r.diff }) }));
  return {
    ...ref,
    ...(spec !== undefined && { spec }),
    ...(status !== undefined && { status }),
    conditions: conditionsOf({ status, spec, request }),
    diffs,
    ...(request !== undefined && { syncRequest: request }),
  };
}

/** A list item: the status without its resources, with counts of them. */
export function summaryOf(status: AppStatus): Omit<AppStatus, "resources"> & {
  resourceCount: number;
  driftedCount: number;
} {
  const { resources, ...rest } = status;
  return {
    ...rest,
    resourceCount: resources.filter((r) => r.action !== "deleted").length,
    driftedCount: resources.filter((r) => r.drift !== undefined || r.action === "stale").length,
  };
}
