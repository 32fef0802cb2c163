/** A cluster as the API answers it (`GET /api/v1/clusters/:name`). */
export interface ClusterView {
  name: string;
  server: string;
  mode: "pool" | "agent";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hasCredentials: boolean;
  updatedAt: string;
  reachability: { status: "Reachable" | "Unreachable" | "Unknown"; source: string; at?: string; message?: string };
  lastHeartbeat?: string;
  queue: { waiting: number; active: number; delayed: number; failed: number };
  servedBy?: { kind: "pool-worker" | "agent"; id: string };
  applications: number;
  removing?: {
    since: string;
    remaining: number;
    held: { appSet: string; applications: string[]; reason: string }[];
  };
}

export interface ClusterApplication {
  appSet: string;
  application: string;
}

/** `DELETE /api/v1/clusters/:name`: a removal started (202) or, with orphan, a cluster forgotten (200). */
export type RemovalAnswer =
  | {
      cluster: string;
      orphan: false;
      since: string;
      applications: ClusterApplication[];
      appSets: { appSet: string; deleting: number; of: number; likelyHeld: boolean }[];
      message: string;
    }
  | { cluster: string; orphan: true; applications: ClusterApplication[]; message: string };

export interface RegisterAnswer {
  cluster: ClusterView;
  agent?: { user: string; password: string; rules: string[]; env: Record<string, string> };
}
