import {
  type Application,
  type ApplicationSet,
  type Cluster,
  defaultDiffPolicy,
  diffGenerations,
  diffPolicyOf,
  formatIssue,
  type Generation,
  parseApplicationSets,
  type RepoReader,
} from "@flotilla/core";
import { generateApplications } from "@flotilla/engine";
import picomatch from "picomatch";
import type { Logger } from "pino";
import type { FleetRepo, GenerationRecord, GeneratorState, JobSink } from "./ports.ts";

export interface CycleDeps {
  fleet: FleetRepo;
  repos: RepoReader;
  clusters: () => Promise<Cluster[]>;
  state: GeneratorState;
  jobs: JobSink;
  logger: Logger;
  now?: () => Date;
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
  error?: string;
}

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
  const report: CycleReport = { appSets: 0, applications: 0, syncs: 0, deletes: 0, held: 0, failed: [] };
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
    for (const appSet of known) await deps.state.recordFailure(failure(appSet, error, now()));
    return { ...report, error, failed: known };
  }
  report.commit = commit;

  const { found, brokenFiles } = await readAppSets(deps, commit, files, now, report);
  const clusters = await deps.clusters();
  for (const { appSet, file } of found.values()) {
    if (options.only && !options.only.has(appSet.metadata.name)) continue;
    await generateOne(deps, { appSet, file, commit, clusters, now }, report);
  }
  if (!options.only) {
    for (const name of known) {
      if (found.has(name)) continue;
      const last = await deps.state.lastRecord(name);
      if (last?.file !== undefined && brokenFiles.has(last.file)) {
        const error = `${last.file} does not parse at ${commit.slice(0, 12)}; previous generation stays in force`;
        await deps.state.recordFailure({ ...failure(name, error, now()), file: last.file, commit });
        report.failed.push(name);
        continue;
      }
      await removeAppSet(deps, name, commit, now, report);
    }
  }
  return report;
}

async function readAppSets(
  deps: CycleDeps,
  commit: string,
  files: readonly string[],
  now: () => Date,
  report: CycleReport,
): Promise<{ found: Map<string, Found>; brokenFiles: Set<string> }> {
  const found = new Map<string, Found>();
  const brokenFiles = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = await deps.fleet.readFile(commit, file);
    } catch (err) {
      brokenFiles.add(file);
      deps.logger.error({ err, file }, "cannot read ApplicationSet file");
      continue;
    }
    const { appSets, issues } = parseApplicationSets(text, file);
    if (issues.length > 0) {
      brokenFiles.add(file);
      deps.logger.error({ file, issues: issues.map(formatIssue) }, "invalid ApplicationSet file");
    }
    for (const { appSet } of appSets) {
      const name = appSet.metadata.name;
      const first = found.get(name);
      if (first !== undefined) {
        const error = `ApplicationSet "${name}" is defined in both ${first.file} and ${file}; the first one is used`;
        deps.logger.error({ appset: name }, error);
        await deps.state.recordFailure({ ...failure(name, error, now()), file, commit });
        report.failed.push(name);
        continue;
      }
      found.set(name, { appSet, file });
    }
  }
  return { found, brokenFiles };
}

interface OneInput {
  appSet: ApplicationSet;
  file: string;
  commit: string;
  clusters: readonly Cluster[];
  now: () => Date;
}

async function generateOne(deps: CycleDeps, input: OneInput, report: CycleReport): Promise<void> {
  const name = input.appSet.metadata.name;
  const log = deps.logger.child({ appset: name });
  try {
    const generation = await generateApplications(input.appSet, { clusters: input.clusters, repos: deps.repos });
    const previous = await deps.state.applications(name);
    const outcome = await applyGeneration(deps, {
      appSet: name,
      generation,
      previous,
      preserveResources: input.appSet.spec.syncPolicy?.preserveResourcesOnDeletion ?? false,
      policy: diffPolicyOf(input.appSet),
      record: { file: input.file, commit: input.commit, at: input.now().toISOString() },
    });
    report.appSets++;
    report.applications += generation.applications.length;
    report.syncs += outcome.syncs;
    report.deletes += outcome.deletes;
    if (outcome.held) report.held++;
    if (generation.generatorError !== undefined || generation.errors.length > 0) report.failed.push(name);
    log.info({ commit: input.commit, ...outcome }, "generated");
  } catch (err) {
    log.error({ err }, "generation failed; previous generation stays in force");
    const record = failure(name, (err as Error).message, input.now());
    await deps.state.recordFailure({ ...record, file: input.file, commit: input.commit });
    report.failed.push(name);
  }
}

interface ApplyInput {
  appSet: string;
  generation: Generation;
  previous: Map<string, { hash: string; cluster: string }>;
  preserveResources: boolean;
  policy: ReturnType<typeof diffPolicyOf>;
  record: Pick<GenerationRecord, "file" | "commit" | "at">;
}

/** Diff, enqueue, then store — in that order, so a crash in between re-enqueues (harmless) rather than loses. */
async function applyGeneration(deps: CycleDeps, input: ApplyInput) {
  const { generation, previous } = input;
  const hashes = new Map([...previous].map(([n, s]) => [n, s.hash]));
  const diff = diffGenerations(hashes, generation, input.policy);
  const upserts = [...diff.creates, ...diff.updates];
  const commit = input.record.commit ?? "";
  await deps.jobs.sync(
    upserts.map((u) => ({ appSet: input.appSet, application: u.application, hash: u.hash, commit })),
  );
  await deps.jobs.delete(
    diff.deletes.map((application) => ({
      appSet: input.appSet,
      application,
      cluster: previous.get(application)!.cluster,
      preserveResources: input.preserveResources,
    })),
  );
  const record: GenerationRecord = {
    appSet: input.appSet,
    ...input.record,
    counts: {
      applications: generation.applications.length,
      creates: diff.creates.length,
      updates: diff.updates.length,
      deletes: diff.deletes.length,
      unchanged: diff.unchanged.length,
      errors: generation.errors.length,
    },
    errors: generation.errors,
    ...(diff.held !== undefined && { held: diff.held }),
    ...(generation.generatorError !== undefined && { error: generation.generatorError }),
  };
  if (generation.generatorError !== undefined) await deps.state.recordFailure(record);
  else await deps.state.commit(input.appSet, { upserts, deletes: diff.deletes }, record);
  return { syncs: upserts.length, deletes: diff.deletes.length, held: diff.held !== undefined };
}

/** An ApplicationSet gone from Git: its Applications go too, but only through the same deletion guard. */
async function removeAppSet(deps: CycleDeps, name: string, commit: string, now: () => Date, report: CycleReport) {
  const previous = await deps.state.applications(name);
  const outcome = await applyGeneration(deps, {
    appSet: name,
    generation: { appSet: name, applications: [] as Application[], errors: [] },
    previous,
    preserveResources: false,
    policy: defaultDiffPolicy(),
    record: { commit, at: now().toISOString() },
  });
  report.deletes += outcome.deletes;
  if (outcome.held) report.held++;
  if (previous.size === 0) await deps.state.forget(name);
  deps.logger.child({ appset: name }).warn({ commit, ...outcome }, "ApplicationSet removed from Git");
}

function failure(appSet: string, error: string, at: Date): GenerationRecord {
  return {
    appSet,
    at: at.toISOString(),
    counts: { applications: 0, creates: 0, updates: 0, deletes: 0, unchanged: 0, errors: 0 },
    errors: [],
    error,
  };
}
