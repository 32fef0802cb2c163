import {
  type Application,
  type Cluster,
  formatIssue,
  type LocatedApplicationSet,
  parseApplicationSets,
  parseClusters,
  type RepoReader,
  type ValidationIssue,
} from "@flotilla/core";
import { generateApplications } from "@flotilla/engine";
import { stepMatchers, stepOf } from "@flotilla/rollout";
import { ExitCode } from "../exit-codes.ts";
import { describeElementError } from "../output/element-error.ts";
import { formatApplications, type OutputFormat } from "../output/format.ts";

export interface PreviewOptions {
  files: string[];
  clustersFile?: string;
  output: OutputFormat;
}

/** What the command touches, injected so that tests drive it with no files or Git. */
export interface PreviewIO {
  readFile(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  repos: RepoReader;
}

/**
 * `flotilla appset preview`: what would these ApplicationSets produce for these clusters? Valid ApplicationSets
 * are printed even when a sibling is broken, so a person sees everything that can be seen in one run.
 */
export async function previewAppSets(options: PreviewOptions, io: PreviewIO): Promise<ExitCode> {
  const issues: ValidationIssue[] = [];
  let clusters: Cluster[] = [];
  if (options.clustersFile !== undefined) {
    const parsed = parseClusters(await readOrIssue(io, options.clustersFile, issues), options.clustersFile);
    clusters = parsed.clusters;
    issues.push(...parsed.issues);
  }
  const found: LocatedApplicationSet[] = [];
  for (const file of options.files) {
    const parsed = parseApplicationSets(await readOrIssue(io, file, issues), file);
    issues.push(...parsed.issues);
    found.push(...parsed.appSets);
  }
  for (const issue of issues) io.stderr(`error: ${formatIssue(issue)}\n`);

  const applications: Application[] = [];
  const steps = new Map<Application, string>();
  let failed = false;
  for (const { appSet, file, line } of found) {
    const generation = await generateApplications(appSet, { clusters, repos: io.repos });
    applications.push(...generation.applications);
    const strategy = appSet.spec.strategy;
    if (strategy?.type === "RollingSync" && strategy.rollingSync !== undefined) {
      const matchers = stepMatchers(strategy.rollingSync.steps);
      const count = matchers.length;
      for (const app of generation.applications) {
        const at = stepOf(matchers, app.metadata.labels ?? {});
        steps.set(app, at === null ? `last (no step matches)` : `${at + 1}/${count}`);
      }
    }
    const where = `${file}:${line}: ApplicationSet "${appSet.metadata.name}"`;
    if (generation.generatorError !== undefined) {
      failed = true;
      io.stderr(`error: ${where}: ${generation.generatorError}\n`);
    }
    for (const err of generation.errors) {
      failed = true;
      io.stderr(`error: ${where}: ${describeElementError(err)}\n`);
    }
  }
  io.stdout(formatApplications(applications, options.output, (a) => steps.get(a)));
  if (issues.length > 0) return ExitCode.InvalidInput;
  return failed ? ExitCode.ElementErrors : ExitCode.Ok;
}

async function readOrIssue(io: PreviewIO, path: string, issues: ValidationIssue[]): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    issues.push({ file: path, line: 0, column: 0, path: "", message: `cannot read file: ${reason}` });
    return "";
  }
}
