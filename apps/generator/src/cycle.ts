import {
  type Application,
  type ApplicationDiff,
  type ApplicationSet,
  type Cluster,
  type ClusterIndex,
  type DiffPolicy,
  diffGenerations,
  diffPolicyOf,
  formatIssue,
  type Generation,
  type GeneratorSpec,
  indexClusters,
  mapLimit,
  PhaseClock,
  parseApplicationSets,
  type RepoReader,
  type RollingSyncStep,
  specDigest,
} from "@flotilla/core";
import { GenerationMemo, generateApplications } from "@flotilla/engine";
import { JOB_DELETE, JOB_SYNC, type SyncSource, type WorkItem } from "@flotilla/queue";
import { generationRecordOf, type HoldDecision, type RegisteredCluster } from "@flotilla/store";
import picomatch from "picomatch";
import type { Logger } from "pino";
import { routeDeletes } from "./delete-routes.ts";
import { keepShrinkHold } from "./hold-keeping.ts";
import { clustersDigest, inputFingerprint } from "./input-fingerprint.ts";
import { claimNames, withoutConflicts } from "./ownership.ts";
import type { FleetRepo, GenerationObserver, GenerationRecord, GeneratorState, JobSink } from "./ports.ts";
import type { PreparedMemo } from "./prepared-memo.ts";
import { removeAppSet } from "./remove-appset.ts";
import { advanceAppSetRollout } from "./rollout/advance.ts";
import { stageRollout } from "./rollout/stage.ts";
import {
  desiredDigestFrom,
  revisionOf,
  revisionsUnchanged,
  type SourceCycle,
  type SourcePreparer,
  type TrackedRevision,
  trackedRevisions,
} from "./sources.ts";

/** What a skipped ApplicationSet must still match: its inputs, and the commits its sources resolved to. */
export interface MemoEntry {
  fingerprint: string;
  revisions: TrackedRevision[];
}

/** A fleet file's text and what it parsed to. */
export interface ParsedFile {
  text: string;
  parsed: ReturnType<typeof parseApplicationSets>;
}

/** A registered cluster as a cycle reads it: `removing` is set while it is being removed. */
export type FleetCluster = Cluster & Pick<RegisteredCluster, "removing">;

export interface CycleDeps {
  fleet: FleetRepo;
  repos: RepoReader;
  /** The registry. A list handed out again must be unchanged (a cache's); it is never changed in place. */
  clusters: () => Promise<readonly FleetCluster[]>;
  state: GeneratorState;
  jobs: JobSink;
  logger: Logger;
  now?: () => Date;
  /**
   * ApplicationSet → input fingerprint of its last generation that was stored, and its sources' commits. An
   * ApplicationSet whose inputs and sources are unchanged is skipped. Owned by the caller for one lease term: a
   * new term starts empty.
   */
  memo?: Map<string, MemoEntry>;
  /**
   * Resolves, renders and publishes each Application's source, so jobs name a bundle. Without it jobs carry only
   * the spec, and workers render for themselves.
   */
  sources?: SourcePreparer;
  /** Sources prepared at once. @defaultValue 8 */
  sourceConcurrency?: number;
  /**
   * Each Application's spec digest and commit its desired digest was last made from, and that desired digest.
   * An Application whose spec and resolved commit are unchanged renders what it rendered then, so its source need not
   * be prepared again. Owned by the caller for one lease term, like `memo`.
   */
  prepared?: PreparedMemo;
  /**
   * ApplicationSet → its previous generation's parameter sets and rendered Applications, so that a push changing
   * one element of a hundred thousand renders one (see `GenerationMemo`; the result is the same without it). Owned
   * by the caller for one lease term, like `memo`. @defaultValue none: every generation is built anew
   */
  generationMemos?: Map<string, GenerationMemo>;
  /**
   * Fleet file → its text and what it parsed to, so that a push re-parses only the files it changed (a file's
   * parse depends on its text and path alone). Files no cycle lists any more are forgotten. @defaultValue none
   */
  parsedFiles?: Map<string, ParsedFile>;
  /** Told how each ApplicationSet's generation went (the generator's metrics). @defaultValue nobody */
  observer?: GenerationObserver;
}

export interface CycleOptions {
  /** Globs of ApplicationSet files in the fleet repository. */
  paths: readonly string[];
  /** Only these ApplicationSets (a cluster change regenerates just the ones that select clusters). */
  only?: ReadonlySet<string>;
}

export interface CycleReport {
  commit?: string;
  appSets: number;
  applications: number;
  syncs: number;
  deletes: number;
  held: number;
  failed: string[];
  /** ApplicationSets skipped because their inputs had not changed since their last stored generation. */
  unchanged: number;
  /** Applications whose source could not be prepared (Git or a tool unavailable); retried next cycle. */
  sourcesPending: number;
  /** ApplicationSets with a clusters generator: the ones a registry change can alter. */
  selectingClusters: string[];
  error?: string;
}

/** The digest of a registry list, by the list itself: a cached registry hands out the same list until it moves. */
const registryDigests = new WeakMap<readonly FleetCluster[], string>();

interface Found {
  appSet: ApplicationSet;
  file: string;
}

/**
 * One generation cycle: fetch, parse every ApplicationSet at that commit, generate, diff against the stored
 * generation, apply the deletion guard, enqueue, store. Every failure is contained: Git down keeps everything,
 * a broken file keeps its ApplicationSets, a broken ApplicationSet keeps only itself.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleReport> {
  const now = deps.now ?? (() => new Date());
  const report: CycleReport = {
    appSets: 0,
    applications: 0,
    syncs: 0,
    deletes: 0,
    held: 0,
    failed: [],
    unchanged: 0,
    sourcesPending: 0,
    selectingClusters: [],
  };
  const known = await deps.state.appSetNames();

  let commit: string;
  let files: string[];
  try {
    commit = await deps.fleet.resolve();
    const match = picomatch(options.paths as string[], { dot: false });
    files = (await deps.fleet.listFiles(commit)).filter((f) => match(f)).sort();
  } catch (err) {
    const error = `fleet repository: ${(err as Error).message}`;
    deps.logger.error({ err }, "fleet repository unavailable; previous generations stay in force");
    for (const appSet of known) await recordFailure(deps, appSet, error, now());
    return { ...report, error, failed: known };
  }
  report.commit = commit;

  const { found, brokenFiles, brokenNames } = await readAppSets(deps, commit, files, now, report);
  const registered = await deps.clusters();
  // A cluster being removed is absent to generation, so its Applications are due for deletion and go through the
  // guard like any other shrink; it stays routable, so those deletes still reach its queue.
  const clusters = registered.filter((c) => c.removing === undefined);
  const registry = indexClusters(registered);
  for (const { appSet } of found.values()) {
    if (appSet.spec.generators.some(usesClusters)) report.selectingClusters.push(appSet.metadata.name);
  }
  const digest = registryDigests.get(registered) ?? clustersDigest(clusters);
  registryDigests.set(registered, digest);
  const sources = deps.sources?.cycle();
  const decisions = await deps.state.holds.decisions();
  // Known before any generation, so that a renamed ApplicationSet's names are handed over, not refused.
  // A cycle for some ApplicationSets only (a cluster change) may see a rename too: the names still hand over,
  // and the old ApplicationSet is dealt with by the next full cycle (it finds them owned by the new one).
  const leaving = await leavingAppSets(deps, { known, found, brokenNames, brokenFiles, commit });
  const scope: GenerationScope = {
    adoptable: leaving.filter((l) => l.error === undefined).map((l) => l.name),
    handedOver: new Map(),
  };
  for (const { appSet, file } of found.values()) {
    const name = appSet.metadata.name;
    if (options.only && !options.only.has(name)) continue;
    const fingerprint = inputFingerprint(appSet, file, digest);
    const memo = deps.memo?.get(name);
    const decision = decisions.get(name);
    // An operator's decision must be carried out even though nothing in Git changed.
    if (fingerprint !== undefined && memo?.fingerprint === fingerprint && decision === undefined) {
      if (sources === undefined || (await revisionsUnchanged(sources, memo.revisions))) {
        report.unchanged++;
        continue;
      }
    }
    deps.memo?.delete(name);
    const started = performance.now();
    const failedBefore = report.failed.length;
    const outcome = await generateOne(
      deps,
      { appSet, file, commit, clusters, registry, now, sources, scope, ...(decision !== undefined && { decision }) },
      report,
    );
    const seconds = (performance.now() - started) / 1000;
    deps.observer?.generated({ appSet: name, seconds, failed: report.failed.length > failedBefore });
    if (outcome.settled && fingerprint !== undefined) {
      deps.memo?.set(name, { fingerprint, revisions: outcome.revisions });
    }
  }
  if (!options.only && deps.generationMemos !== undefined) {
    for (const name of deps.generationMemos.keys()) if (!found.has(name)) deps.generationMemos.delete(name);
  }
  for (const { name, error } of options.only ? [] : leaving) {
    if (error !== undefined) {
      await recordFailure(deps, name, error, now());
      report.failed.push(name);
      continue;
    }
    const decision = decisions.get(name);
    // A removed ApplicationSet's held-back changes will never be released: its rollout goes with it.
    if ((await deps.state.rollouts.get(name)) !== undefined) await deps.state.rollouts.clear(name);
    const outcome = await removeAppSet(deps, {
      appSet: name,
      commit,
      time: now(),
      handedOver: scope.handedOver.get(name) ?? new Set(),
      clusters: registry,
      ...(decision !== undefined && { decision }),
    });
    report.deletes += outcome.deletes;
    if (outcome.held) report.held++;
  }
  return report;
}

/** What one cycle's generations share: who may hand names over, and what was handed over. */
interface GenerationScope {
  /** ApplicationSets that left Git: their names may be adopted by another (a rename). */
  adoptable: readonly string[];
  /** Leaving ApplicationSet → its Application names another one adopted in this cycle. */
  handedOver: Map<string, Set<string>>;
}

/**
 * The stored ApplicationSets Git no longer has. One whose file stops parsing has not left: it comes with the
 * error to record, and its generation stays in force.
 */
async function leavingAppSets(
  deps: CycleDeps,
  input: {
    known: readonly string[];
    found: ReadonlyMap<string, Found>;
    brokenNames: ReadonlySet<string>;
    brokenFiles: ReadonlyMap<string, string>;
    commit: string;
  },
): Promise<{ name: string; error?: string }[]> {
  const leaving: { name: string; error?: string }[] = [];
  for (const name of input.known) {
    if (input.found.has(name) || input.brokenNames.has(name)) continue;
    const last = await deps.state.lastRecord(name);
    const broken = last?.file === undefined ? undefined : input.brokenFiles.get(last.file);
    if (broken === undefined) leaving.push({ name });
    else {
      const error = `${last!.file} at ${input.commit.slice(0, 12)} ${broken}; the previous generation stays in force`;
      leaving.push({ name, error });
    }
  }
  return leaving;
}

function usesClusters(g: GeneratorSpec): boolean {
  if (g.clusters !== undefined) return true;
  return [...(g.matrix?.generators ?? []), ...(g.merge?.generators ?? [])].some(usesClusters);
}

async function readAppSets(
  deps: CycleDeps,
  commit: string,
  files: readonly string[],
  now: () => Date,
  report: CycleReport,
): Promise<{ found: Map<string, Found>; brokenFiles: Map<string, string>; brokenNames: Set<string> }> {
  const found = new Map<string, Found>();
  /** File → why it cannot be used, as a person should read it in the ApplicationSet's record. */
  const brokenFiles = new Map<string, string>();
  const brokenNames = new Set<string>();
  const duplicates = new Map<string, string[]>();
  for (const file of files) {
    let text: string;
    try {
      text = await deps.fleet.readFile(commit, file);
    } catch (err) {
      brokenFiles.set(file, `cannot be read: ${(err as Error).message}`);
      deps.logger.error({ err, file }, "cannot read ApplicationSet file");
      continue;
    }
    const { appSets, issues } = parseOnce(deps.parsedFiles, file, text);
    if (issues.length > 0) {
      const shown = issues.slice(0, 3).map(formatIssue).join("; ");
      brokenFiles.set(file, `does not parse: ${shown}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""}`);
      deps.logger.error({ file, issues: issues.map(formatIssue) }, "invalid ApplicationSet file");
    }
    for (const { appSet } of appSets) {
      const name = appSet.metadata.name;
      const first = found.get(name);
      if (first === undefined) found.set(name, { appSet, file });
      else (duplicates.get(name) ?? duplicates.set(name, [first.file]).get(name)!).push(file);
    }
  }
  if (deps.parsedFiles !== undefined) {
    const listed = new Set(files);
    for (const file of deps.parsedFiles.keys()) if (!listed.has(file)) deps.parsedFiles.delete(file);
  }
  // Which of two same-named ApplicationSets was meant is not ours to guess: neither is used, the previous
  // generation stays in force, and the record says where both are.
  for (const [name, files] of duplicates) {
    found.delete(name);
    const error = `ApplicationSet "${name}" is defined in ${files.join(" and ")}; neither is used until one is renamed`;
    deps.logger.error({ appset: name, files }, error);
    await recordFailure(deps, name, error, now());
    report.failed.push(name);
    brokenNames.add(name);
  }
  return { found, brokenFiles, brokenNames };
}

/** The file parsed, or what it parsed to last time when its text is the same. */
function parseOnce(memo: Map<string, ParsedFile> | undefined, file: string, text: string) {
  const known = memo?.get(file);
  if (known !== undefined && known.text === text) return known.parsed;
  const parsed = parseApplicationSets(text, file);
  memo?.set(file, { text, parsed });
  return parsed;
}

interface OneInput {
  appSet: ApplicationSet;
  file: string;
  commit: string;
  clusters: readonly Cluster[];
  /** Every registered cluster, those being removed included (their deletes are routed), indexed once per cycle. */
  registry: ClusterIndex;
  now: () => Date;
  sources: SourceCycle | undefined;
  scope: GenerationScope;
  decision?: HoldDecision;
}

interface OneOutcome {
  /** The generation was stored and nothing is left to retry: the ApplicationSet may be skipped until it changes. */
  settled: boolean;
  revisions: TrackedRevision[];
}

/** Generates one ApplicationSet and stores its generation. */
async function generateOne(deps: CycleDeps, input: OneInput, report: CycleReport): Promise<OneOutcome> {
  const name = input.appSet.metadata.name;
  const log = deps.logger.child({ appset: name });
  const clock = new PhaseClock();
  try {
    await deps.state.recordSource({ appSet: name, file: input.file, commit: input.commit, spec: input.appSet });
    const memo = memoOf(deps.generationMemos, name);
    const generation = await generateApplications(input.appSet, {
      clusters: input.clusters,
      repos: deps.repos,
      ...(memo !== undefined && { memo }),
    });
    const digestOf = memo === undefined ? specDigest : (app: Application) => memo.specDigest(app);
    clock.lap("generate");
    const revisions = input.sources ? await trackedRevisions(input.sources, generation.applications) : [];
    clock.lap("revisions");
    const previous = await deps.state.desiredDigests(name);
    clock.lap("read");
    const prepared = input.sources
      ? await prepareSources(input.sources, generation.applications, {
          previous,
          revisions,
          known: deps.prepared,
          appSet: name,
          concurrency: deps.sourceConcurrency ?? 8,
          digestOf,
          log,
        })
      : undefined;
    clock.lap("prepare");
    const outcome = await applyGeneration(deps, {
      appSet: name,
      generation,
      registry: input.registry,
      preserveResources: input.appSet.spec.syncPolicy?.preserveResourcesOnDeletion ?? false,
      policy: diffPolicyOf(input.appSet),
      ...(input.appSet.spec.strategy?.type === "RollingSync" && {
        rollingSync: input.appSet.spec.strategy.rollingSync?.steps ?? [],
      }),
      file: input.file,
      commit: input.commit,
      time: input.now(),
      previous,
      scope: input.scope,
      digestOf,
      clock,
      ...(input.decision !== undefined && { decision: input.decision }),
      ...(prepared !== undefined && { prepared }),
    });
    report.appSets++;
    report.applications += generation.applications.length;
    report.syncs += outcome.syncs;
    report.deletes += outcome.deletes;
    if (outcome.held) report.held++;
    if (generation.generatorError !== undefined || generation.errors.length > 0 || outcome.refused > 0) {
      report.failed.push(name);
    }
    if (prepared !== undefined && prepared.transient.size > 0) report.sourcesPending += prepared.transient.size;
    log.info({ commit: input.commit, ...outcome, ms: clock.laps }, "generated");
    const settled = generation.generatorError === undefined && (prepared?.transient.size ?? 0) === 0;
    return { settled, revisions };
  } catch (err) {
    log.error({ err }, "generation failed; previous generation stays in force");
    await recordFailure(deps, name, (err as Error).message, input.now(), input.file);
    report.failed.push(name);
    return { settled: false, revisions: [] };
  }
}

/** The ApplicationSet's memo, made on first use; none when the caller keeps none. */
function memoOf(memos: Map<string, GenerationMemo> | undefined, appSet: string): GenerationMemo | undefined {
  if (memos === undefined) return undefined;
  let memo = memos.get(appSet);
  if (memo === undefined) {
    memo = new GenerationMemo();
    memos.set(appSet, memo);
  }
  return memo;
}

/** Each Application's prepared source: a source to name in its job, or why it must wait for the next cycle. */
interface PreparedSources {
  /**
   * The desired digest of every Application whose source is known (see `desiredDigestFrom`) and differs from, or
   * was not checked against, the one in force; an Application absent here keeps the one in force.
   */
  desiredDigests: Map<string, string>;
  /** Sources prepared this cycle: the Applications that may need a job. */
  ready: Map<string, SyncSource>;
  transient: Map<string, string>;
}

/**
 * Resolves every Application's revision (once per revision) and prepares only the sources that may have changed:
 * an Application whose spec and resolved commit are the ones its stored desired digest was made from renders what it
 * rendered then, so it keeps its desired digest without a render lookup — a push that touches one Application of fifty
 * thousand prepares one. That check is synchronous (the revisions were resolved before, once each), so the
 * unchanged majority costs a few lookups each and no promise.
 */
async function prepareSources(
  cycle: SourceCycle,
  apps: readonly Application[],
  context: {
    previous: ReadonlyMap<string, string>;
    /** The commit each tracked revision resolved to in this cycle ("" where it did not). */
    revisions: readonly TrackedRevision[];
    known: CycleDeps["prepared"];
    appSet: string;
    concurrency: number;
    digestOf: (app: Application) => string;
    log: Logger;
  },
): Promise<PreparedSources> {
  const { previous, known, appSet, log } = context;
  const prepared: PreparedSources = { desiredDigests: new Map(), ready: new Map(), transient: new Map() };
  const commits = new Map(context.revisions.map((r) => [`${r.repoURL}\0${r.revision}`, r.commit || undefined]));
  const changed: { app: Application; spec: string; revision: string; from: string; commit: string | undefined }[] = [];
  for (const app of apps) {
    const name = app.metadata.name;
    // Unchanged: its desired digest is the one in force, which the caller falls back to; no entry is made, so
    // that the unchanged majority allocates nothing.
    const same = known?.ofObject(app, commits);
    if (same !== undefined && previous.get(name) === same) continue;
    const spec = context.digestOf(app);
    const { repoURL, revision: tracked } = revisionOf(app);
    const revision = `${repoURL}\0${tracked}`;
    const commit = commits.get(revision);
    const from = `${spec}.${commit}`;
    const seen = known?.get(appSet, name);
    if (commit !== undefined && seen?.from === from && previous.get(name) === seen.desiredDigest) {
      prepared.desiredDigests.set(name, seen.desiredDigest);
      known?.set(appSet, app, { from, desiredDigest: seen.desiredDigest, revision, commit });
    } else changed.push({ app, spec, revision, from, commit });
  }
  await mapLimit(changed, context.concurrency, async ({ app, spec, revision, from, commit }) => {
    const name = app.metadata.name;
    const outcome = await cycle.prepare(app);
    if (outcome.kind === "ready") {
      const desiredDigest = desiredDigestFrom(spec, outcome.source);
      prepared.ready.set(name, outcome.source);
      prepared.desiredDigests.set(name, desiredDigest);
      if (commit !== undefined) known?.set(appSet, app, { from, desiredDigest, revision, commit });
    } else {
      prepared.transient.set(name, outcome.message);
      log.warn({ app: name, err: outcome.message }, "source not ready; the Application in force stays until it is");
    }
  });
  return prepared;
}

interface ApplyInput {
  appSet: string;
  generation: Generation;
  registry: ClusterIndex;
  preserveResources: boolean;
  policy: DiffPolicy;
  file?: string;
  commit: string;
  time: Date;
  /** The stored generation's desired digests, when the caller has read them already. */
  previous?: ReadonlyMap<string, string>;
  prepared?: PreparedSources;
  scope: GenerationScope;
  /** An operator's decision on this ApplicationSet's hold, carried out by this generation. */
  decision?: HoldDecision;
  /** `spec.strategy.rollingSync.steps` when the ApplicationSet rolls out progressively. */
  rollingSync?: readonly RollingSyncStep[];
  /** The spec digest of a generated Application. @defaultValue `specDigest` */
  digestOf?: (app: Application) => string;
  /** Told when each step ends, for the generation's log line. */
  clock?: PhaseClock;
}

/** Diff, enqueue, then store — in that order, so a crash in between re-enqueues (harmless) rather than loses. */
async function applyGeneration(deps: CycleDeps, input: ApplyInput) {
  const { appSet, commit, prepared } = input;
  const previous = input.previous ?? (await deps.state.desiredDigests(appSet));
  // Taken now: the digests in force may be a cache's live copy, which the store's write below updates.
  const previousSize = previous.size;
  let generation = input.generation;
  let desiredDigestOf: (a: Application) => string | undefined = input.digestOf ?? specDigest;
  if (prepared !== undefined) {
    // A source that cannot be prepared now keeps the Application in force as it is (its previous desired
    // digest), and a new Application waits for the next cycle rather than reaching a worker with nothing to apply.
    const waiting = (a: Application) => prepared.transient.has(a.metadata.name);
    if (prepared.transient.size > 0) {
      generation = {
        ...generation,
        applications: generation.applications.filter((a) => !waiting(a) || previous.has(a.metadata.name)),
      };
    }
    // Absent: unchanged, or waiting for its source; either way the digest in force stays, which the diff looks up.
    desiredDigestOf = (a) => prepared.desiredDigests.get(a.metadata.name);
  }
  const guard = input.policy.deletionGuard;
  const released = input.decision?.action === "release" ? new Set(input.decision.applications) : undefined;
  const baseline = await deps.state.sizes.largestSince(appSet, new Date(input.time.getTime() - guard.windowMs));
  const planned = diffGenerations(previous, generation, input.policy, {
    desiredDigestOf,
    baseline,
    ...(released !== undefined && { released }),
  });
  const stored = await deps.state.destinations(appSet, planned.deletes);
  const routed = routeDeletes(planned, stored, input.registry);
  let diff = routed.diff;
  const deleteRoutes = routed.clusters;
  if (diff !== planned) deps.logger.child({ appset: appSet }).warn({ held: diff.held }, "deletes held");
  const items: WorkItem[] = [];
  for (const { application, desiredDigest } of [...diff.creates, ...diff.updates]) {
    // The engine recorded the registered cluster each Application resolved to (an unregistered one is an error).
    const cluster = application.spec.destination.cluster ?? "";
    const source = prepared?.ready.get(application.metadata.name);
    items.push({
      kind: JOB_SYNC,
      job: {
        appSet,
        application: application.metadata.name,
        cluster,
        desiredDigest,
        revision: commit,
        app: application,
        ...(source !== undefined && { source }),
      },
    });
  }
  for (const application of diff.deletes) {
    const cluster = deleteRoutes.get(application);
    if (cluster === undefined) continue;
    items.push({
      kind: JOB_DELETE,
      job: { appSet, application, cluster, preserveResources: input.preserveResources, revision: commit },
    });
  }
  // One owner per Application name per cluster: a name another ApplicationSet owns fails this element only.
  const syncs = items.flatMap((i) => (i.kind === JOB_SYNC ? [i.job] : []));
  const claims = await claimNames(deps.state.owners, { appSet, syncs, adoptable: input.scope.adoptable });
  ({ generation, diff } = withoutConflicts(generation, diff, claims.conflicts));
  const refused = new Set(claims.conflicts.map((c) => c.application));
  const adoptedFrom = new Map(claims.adopted.map((a) => [a.application, a.from]));
  for (const { application, from } of claims.adopted) {
    const names = input.scope.handedOver.get(from) ?? input.scope.handedOver.set(from, new Set()).get(from)!;
    names.add(application);
  }
  const work = items
    .filter((i) => i.kind !== JOB_SYNC || !refused.has(i.job.application))
    .map((i): WorkItem => {
      const from = i.kind === JOB_SYNC ? adoptedFrom.get(i.job.application) : undefined;
      return from === undefined || i.kind !== JOB_SYNC ? i : { kind: JOB_SYNC, job: { ...i.job, adoptFrom: from } };
    });
  input.clock?.lap("diff");
  const rolling = input.rollingSync;
  if (rolling !== undefined) {
    await stageRollout(deps, { appSet, commit, steps: rolling, work, inForce: previous, time: input.time });
  } else {
    await deps.jobs.enqueue(work);
    // No longer rolling out (the strategy changed): this generation put everything in force at once.
    if ((await deps.state.rollouts.get(appSet)) !== undefined) await deps.state.rollouts.clear(appSet);
  }
  input.clock?.lap("enqueue");
  const record: GenerationRecord = {
    ...generationRecordOf({ appSet, commit, generation, diff, time: input.time }),
    ...(input.file !== undefined && { file: input.file }),
  };
  if (generation.generatorError !== undefined) {
    await deps.state.record(record);
    if (rolling !== undefined) await advanceAppSetRollout(deps, appSet, input.time);
    input.clock?.lap("store");
    return { syncs: 0, deletes: 0, held: diff.held !== undefined, refused: 0 };
  }
  if (rolling !== undefined) {
    // The rollout releases each change into the store when its step starts; until then the state in force stays.
    const nothing: ApplicationDiff = { creates: [], updates: [], deletes: [], unchanged: diff.unchanged };
    await deps.state.commit(appSet, nothing, record);
    await advanceAppSetRollout(deps, appSet, input.time);
  } else {
    await deps.state.commit(appSet, diff, record, prepared?.ready);
    const deleted = work.flatMap((i) => (i.kind === JOB_DELETE ? [i.job] : []));
    await deps.state.owners.release(
      appSet,
      deleted.map((j) => ({ cluster: j.cluster, application: j.application })),
    );
  }
  await trackSize(deps.state, { appSet, previous: previousSize, diff, released, time: input.time, guard });
  await keepShrinkHold(deps.state, {
    appSet,
    diff,
    commit,
    time: input.time,
    clusters: input.registry,
    ...(input.decision !== undefined && { decision: input.decision }),
  });
  input.clock?.lap("store");
  const synced = diff.creates.length + diff.updates.length;
  return { syncs: synced, deletes: diff.deletes.length, held: diff.held !== undefined, refused: refused.size };
}

/**
 * Keeps the guard's baseline: the size in force until now is recorded when it changes, so the window holds the
 * largest size it saw. A release is the operator accepting the shrink: the size left becomes the new whole.
 */
async function trackSize(
  state: GeneratorState,
  input: {
    appSet: string;
    previous: number;
    diff: ApplicationDiff;
    released: ReadonlySet<string> | undefined;
    time: Date;
    guard: DiffPolicy["deletionGuard"];
  },
): Promise<void> {
  const { appSet, previous, diff } = input;
  if (input.released !== undefined && diff.deletes.some((n) => input.released!.has(n))) {
    await state.sizes.reset(appSet);
    return;
  }
  const after = previous + diff.creates.length - diff.deletes.length;
  if (after !== previous && previous > 0) await state.sizes.record(appSet, previous, input.time, input.guard.windowMs);
}

/** The previous generation stays in force; its record gains the error, so people see both. */
async function recordFailure(deps: CycleDeps, appSet: string, error: string, at: Date, file?: string): Promise<void> {
  const last = await deps.state.lastRecord(appSet);
  const record: GenerationRecord = last
    ? { ...last, time: at.toISOString(), generatorError: error }
    : {
        appSet,
        commit: "",
        time: at.toISOString(),
        counts: { applications: 0, creates: 0, updates: 0, deletes: 0, unchanged: 0, errors: 0 },
        errors: [],
        errorsTruncated: false,
        generatorError: error,
      };
  if (file !== undefined) record.file = file;
  await deps.state.record(record);
}
