// The API's answers as the dashboard reads them (apps/api/src/schemas names every field; this lists what is drawn).

export type SyncStatus = "Synced" | "OutOfSync" | "Error" | "Unknown";
export type HealthStatus = "Healthy" | "Progressing" | "Degraded" | "Missing" | "Unknown";
export type Scope = "read" | "admin";

export interface WhoAmI {
  name: string;
  scope: Scope;
}

export interface MatrixColumn {
  name: string;
  labels: Record<string, string>;
  reachable: boolean | null;
}

export interface MatrixRow {
  appSet: string;
  /** Two characters per column: sync then health of the worst Application there, `..` for none. */
  cells: string;
  /** Column index → Applications in that cell, only for cells holding more than one. */
  multi: Record<string, number>;
}

export interface FleetMatrix {
  generatedAt: string;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  totals: {
    applications: number;
    sync: Partial<Record<SyncStatus, number>>;
    health: Partial<Record<HealthStatus, number>>;
  };
}

export interface AppSummary {
  appSet: string;
  application: string;
  cluster: string;
  sync: SyncStatus;
  health: HealthStatus;
  revision?: string;
  lastSyncAt: string;
  message?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface FieldDifference {
  path: string;
  desired?: string;
  live?: string;
}

export interface ResourceStatus {
  id: string;
  action: string;
  health: HealthStatus;
  message?: string;
  drift?: string[];
  diff?: FieldDifference[];
  hook?: string;
}

export interface LastError {
  reason: string;
  message: string;
  at: string;
  retrying: boolean;
}

export interface AppDetail {
  cluster: string;
  appSet: string;
  application: string;
  spec?: Record<string, unknown>;
  status?: {
    sync: SyncStatus;
    health: HealthStatus;
    healthMessage?: string;
    revision?: string;
    fleetRevision?: string;
    lastSyncAt: string;
    syncMessage?: string;
    lastError?: LastError;
    resources: ResourceStatus[];
  };
  conditions: { type: string; message: string; at?: string }[];
  diffs: { id: string; paths: string[]; differences?: FieldDifference[] }[];
  syncRequest?: { id: string; prune: boolean; at: string };
}

export interface HistoryEntry {
  at: string;
  result: string;
  revision?: string;
  fleetRevision?: string;
  jobId: string;
  message?: string;
}

export interface RevisionAt {
  at: string;
  revision: string | null;
  since?: string;
}

export interface ElementError {
  appSet: string;
  element: number;
  application?: string;
  field?: string;
  params: string;
  source?: string;
  message: string;
}

export interface GenerationCounts {
  applications: number;
  creates: number;
  updates: number;
  deletes: number;
  unchanged: number;
  errors: number;
}

export interface HeldApplication {
  application: string;
  cluster?: string;
}

export interface Rollout {
  phase: "Progressing" | "Halted" | "Completed";
  commit: string;
  steps: { index: number | null; change: string; state: string; promoted?: boolean; startedAt?: string }[];
  applications: { application: string; cluster: string; step: number; state: string; message?: string }[];
  condition?: { reason: string; application: string; cluster: string; message: string };
}

export interface AppSetDetail {
  name: string;
  file?: string;
  commit: string;
  lastGeneration: string;
  counts: GenerationCounts;
  held: number;
  generatorError?: string;
  removed: boolean;
  frozen: boolean;
  spec?: { spec?: { generators?: unknown[] } & Record<string, unknown> } & Record<string, unknown>;
  specCommit?: string;
  lastGenerationRecord: { errors: ElementError[]; errorsTruncated: boolean; generatorError?: string };
  hold?: { kind: "shrink" | "removed"; reason: string; applications: HeldApplication[]; since: string; commit: string };
  pendingDecision?: { action: "release" | "dismiss"; at: string; applications: number };
  dismissed: string[];
  rollout?: Rollout;
}

export interface HoldDecision {
  appSet: string;
  action: "release" | "dismiss";
  applications: HeldApplication[];
  message: string;
}

export interface PreviewItem {
  appSet: string;
  file: string;
  line: number;
  applications: { metadata?: { name?: string }; spec?: Record<string, unknown> }[];
  errors: ElementError[];
  generatorError?: string;
}

export interface DiffItem {
  appSet: string;
  file: string;
  line: number;
  stored: boolean;
  creates: { application: string; cluster: string }[];
  updates: { application: string; cluster: string; fields: string[] }[];
  deletes: { application: string; cluster?: string; held: boolean }[];
  unchanged: number;
  errors: ElementError[];
  generatorError?: string;
  held?: { count: number; reason: string };
}

export interface Cluster {
  name: string;
  server: string;
  mode: "pool" | "agent";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  updatedAt: string;
  reachability: { status: "Reachable" | "Unreachable" | "Unknown"; source: string; at?: string; message?: string };
  lastHeartbeat?: string;
  queue: { waiting: number; active: number; delayed: number; failed: number };
  servedBy?: { kind: "pool-worker" | "agent"; id: string };
  applications: number;
  removing?: { since: string; remaining: number };
}
