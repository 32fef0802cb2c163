import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "@flotilla/kube";
import { locateBinaries, requireBinaries } from "@flotilla/testbed";
import { parseManifests } from "./manifests.ts";

/** The chart under test and the value sets beside these tests. */
export const chartDir = fileURLToPath(new URL("../../../charts/flotilla", import.meta.url));
export const valuesDir = fileURLToPath(new URL("../values", import.meta.url));

/** helm exited non-zero; `output` is what it printed (the schema's or the template's message). */
export class HelmFailed extends Error {
  override readonly name = "HelmFailed";
  readonly output: string;

  constructor(args: readonly string[], output: string) {
    super(`helm ${args.join(" ")} failed:\n${output}`);
    this.output = output;
  }
}

export interface ChartValues {
  /** Values files, as `helm -f`. @defaultValue none */
  files?: readonly string[];
  /** `--set` and `--set-string` pairs, as `key=value`. @defaultValue none */
  set?: readonly string[];
  setString?: readonly string[];
}

export interface TemplateOptions extends ChartValues {
  release: string;
  namespace: string;
}

/** The test bed's helm binary (scripts/testbed/env.sh, FLOTILLA_HELM, or setup.sh's cache). */
export function helmBinary(): string {
  const binaries = locateBinaries();
  requireBinaries(binaries, ["helm"]);
  return binaries.helm;
}

function valueArgs(values: ChartValues): string[] {
  return [
    ...(values.files ?? []).flatMap((f) => ["-f", f]),
    ...(values.set ?? []).flatMap((s) => ["--set", s]),
    ...(values.setString ?? []).flatMap((s) => ["--set-string", s]),
  ];
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(helmBinary(), args, { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new HelmFailed(args, `${stderr}${stdout}`.trim()));
      else resolve(stdout);
    });
  });
}

/** `helm lint --strict` of the chart with these values; resolves with its report, rejects with HelmFailed. */
export function lint(values: ChartValues = {}): Promise<string> {
  return run(["lint", "--strict", chartDir, ...valueArgs(values)]);
}

/** `helm template`: the objects the chart renders, in the order helm prints them. */
export async function template(options: TemplateOptions): Promise<KubeObject[]> {
  const out = await run([
    "template",
    options.release,
    chartDir,
    "--namespace",
    options.namespace,
    ...valueArgs(options),
  ]);
  return parseManifests(out);
}
