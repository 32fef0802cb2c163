import type { ApplicationDiff, DestinationRef } from "@flotilla/core";
import type { SyncSource, WorkItem } from "@flotilla/queue";
import type { Observation, Rollout } from "@flotilla/rollout";
import type {
  AppSetSource,
  ClaimedName,
  ClaimOutcome,
  HoldDecision,
  HoldRecord,
  RolloutRequest,
  StagedChange,
  GenerationRecord as StoredRecord,
} from "@flotilla/store";

/** The fleet repository at its tracked revision. Throws when Git cannot be reached. */
export interface FleetRepo {
  /** Fetches and returns the commit the tracked revision points at. */
  resolve(): Promise<string>;
  listFiles(commit: string): Promise<string[]>;
  readFile(commit: string, path: string): Promise<string>;
}

/** The store's generation record (with the fleet file the ApplicationSet came from). */
export type GenerationRecord = StoredRecord;

/** What the generator reads and writes of its own state. Writes are fenced by the caller's lease. */
export interface GeneratorState {
  appSetNames(): Promise<string[]>;
  /**
   * Application name → desired digest of the generation in force. Read-only, and possibly the live copy a cache
   * keeps: it may change once this ApplicationSet's next write lands, so take what you need of it before writing.
   */
  desiredDigests(appSet: string): Promise<ReadonlyMap<string, string>>;
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
  /**
   * Puts changes a rollout released in force (upserts with their sources, deletes), without touching the
   * generation record: the generation was recorded when it was staged.
   */
  applyReleased(appSet: string, diff: ApplicationDiff, sources: ReadonlyMap<string, SyncSource>): Promise<void>;
  /** Records a failed generation without touching the Applications in force. */
  record(record: GenerationRecord): Promise<void>;
  /** Keeps the ApplicationSet as read from Git (file, commit, parsed spec), for the API to show. */
  recordSource(source: AppSetSource): Promise<void>;
  /** Forgets an ApplicationSet whose Applications are all gone: its record and its source. */
  forget(appSet: string): Promise<void>;
  holds: HoldState;
  owners: OwnerState;
  sizes: SizeState;
  rollouts: RolloutState;
}

/** An Application of a rollout, where the controller must look for it. */
export interface ObservedRef {
  application: string;
  cluster: string;
  change: "update" | "delete";
}

/** RollingSync rollouts (see the store's RolloutStore), and what the workers report of their Applications. */
export interface RolloutState {
  get(appSet: string): Promise<Rollout | undefined>;
  /** Names of the ApplicationSets that have a rollout stored. */
  appSets(): Promise<string[]>;
  /** Starts or supersedes a rollout with the changes it holds back. */
  start(rollout: Rollout, staged: readonly StagedChange[]): Promise<void>;
  put(rollout: Rollout): Promise<void>;
  clear(appSet: string): Promise<void>;
  staged(appSet: string, names: readonly string[]): Promise<(StagedChange | undefined)[]>;
  request(appSet: string): Promise<RolloutRequest | undefined>;
  settle(appSet: string, request: RolloutRequest): Promise<void>;
  /** Application name → its status and pending deletion on its cluster. */
  observe(appSet: string, refs: readonly ObservedRef[]): Promise<Map<string, Observation>>;
  /** Application name → its labels as stored (the generation in force), for the named ones that exist. */
  labels(appSet: string, names: readonly string[]): Promise<Map<string, Record<string, string>>>;
}

/** Held deletions and what operators decided about them (see the store's HoldStore). */
export interface HoldState {
  get(appSet: string): Promise<HoldRecord | undefined>;
  put(record: HoldRecord): Promise<void>;
  clear(appSet: string): Promise<void>;
  /** Operators' decisions waiting to be carried out, by ApplicationSet. */
  decisions(): Promise<Map<string, HoldDecision>>;
  settle(appSet: string, decision: HoldDecision): Promise<void>;
  /** Held names an operator dismissed: they stay in force and are not reported as a hold again as they are. */
  dismissed(appSet: string): Promise<string[]>;
  setDismissed(appSet: string, names: readonly string[]): Promise<void>;
}

/** One owning ApplicationSet per Application name per cluster (see the store's OwnerStore). */
export interface OwnerState {
  /** `adoptable`: ApplicationSets that left Git, whose names a new owner takes over (a rename). */
  claim(appSet: string, names: readonly ClaimedName[], adoptable: readonly string[]): Promise<ClaimOutcome>;
  release(appSet: string, names: readonly ClaimedName[]): Promise<void>;
  /** The owner of each name, in order; undefined where none is recorded. */
  owners(names: readonly ClaimedName[]): Promise<(string | undefined)[]>;
}

/** The sizes an ApplicationSet's generation had: the deletion guard's baseline. */
export interface SizeState {
  largestSince(appSet: string, since: Date): Promise<number>;
  /** Records the size in force until `at`; sizes older than `windowMs` are forgotten. */
  record(appSet: string, size: number, at: Date, windowMs: number): Promise<void>;
  reset(appSet: string): Promise<void>;
}

/** Where work for the reconcilers goes. Coalescing per Application is the sink's promise. */
export interface JobSink {
  enqueue(items: readonly WorkItem[]): Promise<void>;
}

/** Told how each ApplicationSet's generation went (the generator's metrics). */
export interface GenerationObserver {
  /** `failed`: the generation recorded an error (the cycle report's `failed`): the generator's, an element's, a name conflict. */
  generated(event: { appSet: string; seconds: number; failed: boolean }): void;
}
