import type { PreviewItem } from "@flotilla/api-contract/types";
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
import type { ApiClient } from "../api/client.ts";
import { ExitCode } from "../exit-codes.ts";
import { describeElementError } from "../output/element-error.ts";
import { formatApplications, type OutputFormat } from "../output/format.ts";
import { readPostedFiles } from "./posted-files.ts";
import { type StepLabels, stepLabels } from "./preview-steps.ts";

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

  const generated: PreviewItem[] = [];
  for (const { appSet, file, line } of found) {
    const generation = await generateApplications(appSet, { clusters, repos: io.repos });
    generated.push({ ...generation, appSet: appSet.metadata.name, file, line });
  }
  const steps = stepLabels(found.map((f) => f.appSet));
  const failed = printPreview(generated, { output: options.output, steps }, io);
  if (issues.length > 0) return ExitCode.InvalidInput;
  return failed ? ExitCode.ElementErrors : ExitCode.Ok;
}

export interface OnlinePreviewIO {
  readFile(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  client: Pick<ApiClient, "post">;
}

/**
 * `flotilla appset preview` without `--clusters`: the API generates the files against the live registry and its
 * own Git access, and the answer is printed exactly as the offline preview prints its own, with the same exit codes.
 * An invalid file is refused by the API as a whole (exit 2, every problem on its own line).
 */
export async function previewOnline(
  options: { files: string[]; output: OutputFormat },
  io: OnlinePreviewIO,
): Promise<ExitCode> {
  const files = await readPostedFiles(options.files, io.readFile);
  const { items } = await io.client.post<{ items: PreviewItem[] }>("/api/v1/appsets/preview", { files });
  // The steps come from the files themselves (the API validated them): the same STEP column as offline.
  const steps = stepLabels(files.flatMap((f) => parseApplicationSets(f.content, f.name).appSets.map((a) => a.appSet)));
  return printPreview(items, { output: options.output, steps }, io) ? ExitCode.ElementErrors : ExitCode.Ok;
}

/** Prints the Applications (stdout) and each failure (stderr); true when anything failed. */
function printPreview(
  items: readonly PreviewItem[],
  options: { output: OutputFormat; steps: StepLabels },
  io: Pick<PreviewIO, "stdout" | "stderr">,
): boolean {
  const applications: Application[] = [];
  const stepOf = new Map<Application, string>();
  let failed = false;
  for (const item of items) {
    applications.push(...item.applications);
    const label = options.steps.get(item.appSet);
    if (label !== undefined) for (const app of item.applications) stepOf.set(app, label(app));
    const where = `${item.file}:${item.line}: ApplicationSet "${item.appSet}"`;
    if (item.generatorError !== undefined) {
      failed = true;
      io.stderr(`error: ${where}: ${item.generatorError}\n`);
    }
    for (const err of item.errors) {
      failed = true;
      io.stderr(`error: ${where}: ${describeElementError(err)}\n`);
    }
  }
  io.stdout(formatApplications(applications, options.output, (a) => stepOf.get(a)));
  return failed;
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
