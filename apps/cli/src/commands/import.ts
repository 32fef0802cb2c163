import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { type ClusterRegistration, type ImportResult, importArgoCdFiles } from "@flotilla/import";
import { type Command, Option } from "commander";
import { stringify } from "yaml";
import { type CliContext, type ConnectionFlags, invalid, run, withConnection } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { clusterAddCommand } from "./import/cluster-commands.ts";
import { readInputs } from "./import/read-inputs.ts";
import { importReport } from "./import/report.ts";

const inputIO = { readFile: (path: string) => readFile(path, "utf8"), readStdin: () => text(process.stdin) };

/**
 * `flotilla import FILE...`: Argo CD ApplicationSets in Flotilla's format on stdout; `flotilla import clusters
 * FILE...`: Argo CD cluster Secrets as `flotilla cluster add` registrations. Offline except `--register`.
 */
export function registerImportCommands(program: Command, ctx: CliContext): void {
  const command = program
    .command("import")
    .description(
      "convert Argo CD ApplicationSets into Flotilla's format (stdout); `import clusters` converts cluster Secrets",
    )
    .argument("<files...>", "Argo CD YAML files (several documents each); - reads stdin")
    .addOption(new Option("-o, --output <format>", "output format").choices(["yaml", "json"]).default("yaml"))
    .action(
      run(ctx, async (files: string[], opts: { output: "yaml" | "json" }) => {
        const result = importArgoCdFiles(await readInputs(files, inputIO));
        const skipped = result.clusters.map(
          (c) => `${c.file}:${c.line}: cluster Secret "${c.name}": register it with flotilla import clusters`,
        );
        const report = importReport({ ...counts(result, result.appSets.length, "ApplicationSet"), skipped });
        if (report.exitCode !== ExitCode.InvalidInput) ctx.io.stdout(appSetsText(result, opts.output));
        ctx.io.stderr(report.stderr);
        return report.exitCode;
      }),
    );

  withConnection(
    command
      .command("clusters")
      .description(
        "convert Argo CD cluster Secrets: write a kubeconfig per cluster (--out) and print the flotilla cluster add lines, or register them (--register)",
      )
      .argument(
        "<files...>",
        "YAML files holding Secrets labelled argocd.argoproj.io/secret-type: cluster; - reads stdin",
      )
      .option("--out <dir>", "where to write the kubeconfigs (mode 0600)")
      .option("--register", "register the clusters through the API instead of printing commands")
      .option("--overwrite", "with --register: replace existing registrations"),
  ).action(
    run(
      ctx,
      async (files: string[], opts: ConnectionFlags & { out?: string; register?: boolean; overwrite?: boolean }) => {
        if ((opts.out === undefined) === (opts.register !== true)) {
          throw invalid("give --out DIR (write kubeconfigs, print the commands) or --register (through the API)");
        }
        if (opts.overwrite === true && opts.register !== true) throw invalid("--overwrite is for --register");
        const result = importArgoCdFiles(await readInputs(files, inputIO));
        const skipped = result.appSets.map(
          (a) => `${a.file}:${a.line}: ApplicationSet "${a.name}": convert it with flotilla import`,
        );
        const report = importReport({ ...counts(result, result.clusters.length, "cluster"), skipped });
        if (report.exitCode !== ExitCode.InvalidInput) {
          if (opts.out !== undefined) {
            const lines = await writeKubeconfigs(result.clusters, opts.out);
            ctx.io.stdout(lines.map((l) => `${l}\n`).join(""));
          } else {
            const client = await ctx.client(opts);
            for (const cluster of result.clusters) {
              await client.request("POST", "/api/v1/clusters", {
                body: { name: cluster.name, labels: cluster.labels, kubeconfig: cluster.kubeconfig },
                ...(opts.overwrite === true && { query: { overwrite: "true" } }),
              });
              ctx.io.stdout(`cluster "${cluster.name}" registered (pool, server ${cluster.server})\n`);
            }
          }
        }
        ctx.io.stderr(report.stderr);
        return report.exitCode;
      },
    ),
  );
}

function counts(result: ImportResult, converted: number, noun: string) {
  return {
    issues: result.issues,
    notes: result.notes,
    converted,
    documents: result.documents,
    failed: result.failed,
    noun,
  };
}

function appSetsText(result: ImportResult, format: "yaml" | "json"): string {
  const appSets = result.appSets.map((a) => a.appSet);
  if (format === "json") return `${JSON.stringify(appSets, null, 2)}\n`;
  return appSets.map((a) => stringify(a, { lineWidth: 0 })).join("---\n");
}

/** Each cluster's kubeconfig as DIR/NAME.kubeconfig, readable by its owner only (it holds credentials). */
async function writeKubeconfigs(clusters: readonly ClusterRegistration[], dir: string): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw invalid(`--out ${dir}: cannot create the directory (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const lines: string[] = [];
  for (const cluster of clusters) {
    const path = join(dir, `${cluster.name}.kubeconfig`);
    await writeFile(path, cluster.kubeconfig, { mode: 0o600 });
    // writeFile's mode applies only to a new file; an older one keeps its mode unless set again.
    await chmod(path, 0o600);
    lines.push(clusterAddCommand(cluster, path));
  }
  return lines;
}
