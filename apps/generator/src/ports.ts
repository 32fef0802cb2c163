import type { Application, ApplicationSet, ElementError } from "@flotilla/core";

/** The fleet repository at its tracked revision. Throws when Git cannot be reached. */
export interface FleetRepo {
  /** Fetches and returns the commit the tracked revision points at. */
  resolve(): Promise<string>;
  listFiles(commit: string): Promise<string[]>;
  readFile(commit: string, path: string): Promise<string>;
}

/** What the generator remembers of an Application it produced. */
export interface StoredApplication {
  hash: string;
  /** Where its objects live, so a delete job can be routed without the Application itself. */
  cluster: string;
}

/** One generation of one ApplicationSet, as people and the API see it. */
export interface GenerationRecord {
  appSet: string;
  /** The fleet file it came from; a file that stops parsing keeps its ApplicationSets in force. */
  file?: string;
  commit?: string;
  at: string;
  counts: {
    applications: number;
    creates: number;
    updates: number;
    deletes: number;
    unchanged: number;
    errors: number;
  };
  errors: ElementError[];
  held?: { deletes: string[]; reason: string };
  /** Why this generation produced nothing (Git down, generator failed, file invalid); previous state stays. */
  error?: string;
}

export interface GeneratorState {
  appSetNames(): Promise<string[]>;
  applications(appSet: string): Promise<Map<string, StoredApplication>>;
  lastRecord(appSet: string): Promise<GenerationRecord | undefined>;
  /** Stores the new generation: upserts, deletes and the record, atomically. */
  commit(
    appSet: string,
    change: { upserts: { application: Application; hash: string }[]; deletes: string[] },
    record: GenerationRecord,
  ): Promise<void>;
  /** Records a failed generation without touching the Applications in force. */
  recordFailure(record: GenerationRecord): Promise<void>;
  /** Forgets an ApplicationSet whose Applications are all gone. */
  forget(appSet: string): Promise<void>;
}

export interface SyncRequest {
  appSet: string;
  application: Application;
  hash: string;
  commit: string;
}

export interface DeleteRequest {
  appSet: string;
  application: string;
  cluster: string;
  preserveResources: boolean;
}

/** Where work for the reconcilers goes. Coalescing per Application is the sink's promise. */
export interface JobSink {
  sync(requests: readonly SyncRequest[]): Promise<void>;
  delete(requests: readonly DeleteRequest[]): Promise<void>;
}

export type { ApplicationSet };
