import type { ApplicationDiff, DestinationRef } from "@flotilla/core";
import type { SyncSource, WorkItem } from "@flotilla/queue";
import type { GenerationRecord as StoredRecord } from "@flotilla/store";

/** The fleet repository at its tracked revision. Throws when Git cannot be reached. */
export interface FleetRepo {
  /** Fetches and returns the commit the tracked revision points at. */
  resolve(): Promise<string>;
  listFiles(commit: string): Promise<string[]>;
  readFile(commit: string, path: string): Promise<string>;
}

/** The store's generation record, plus the fleet file the ApplicationSet came from. */
export type GenerationRecord = StoredRecord & {
  /** A file that stops parsing keeps the ApplicationSets it held in force. */
  file?: string;
};

/** What the generator reads and writes of its own state. Writes are fenced by the caller's lease. */
export interface GeneratorState {
  appSetNames(): Promise<string[]>;
  /** Application name → spec hash of the generation in force. */
  hashes(appSet: string): Promise<Map<string, string>>;
  /** Application name → its stored destination, for the named Applications that exist. */
  destinations(appSet: string, names: readonly string[]): Promise<Map<string, DestinationRef>>;
  lastRecord(appSet: string): Promise<GenerationRecord | undefined>;
  /** Stores the new generation: upserts (with their rendered sources, by name), deletes and the record. */
  commit(
    appSet: string,
    diff: ApplicationDiff,
    record: GenerationRecord,
    sources?: ReadonlyMap<string, SyncSource>,
  ): Promise<void>;
  /** Records a failed generation without touching the Applications in force. */
  record(record: GenerationRecord): Promise<void>;
  /** Forgets an ApplicationSet whose Applications are all gone. */
  forget(appSet: string): Promise<void>;
}

/** Where work for the reconcilers goes. Coalescing per Application is the sink's promise. */
export interface JobSink {
  enqueue(items: readonly WorkItem[]): Promise<void>;
}
