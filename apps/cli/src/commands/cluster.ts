import { readFile } from "node:fs/promises";
import type { ClusterView, RegisterAnswer, RemovalAnswer } from "@flotilla/api-contract/types";
import type { Command } from "commander";
import {
  type CliContext,
  type ConnectionFlags,
  invalid,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { printed } from "../output/print.ts";
import { parseLabelArgs } from "./cluster/label-args.ts";
import { clusterDetails, clusterTable, removalText } from "./cluster/tables.ts";

type Output = { output: OutputFormat };
const path = (name: string) => `/api/v1/clusters/${encodeURIComponent(name)}`;
const collect = (value: string, previous: string[]) => [...previous, value];

/** `flotilla cluster add|list|get|label|rm`: the cluster registry, through the API. */
export function registerClusterCommands(program: Command, ctx: CliContext): void {
  const cluster = program.command("cluster").description("clusters: add (kubeconfig or agent), list, get, label, rm");

  withConnection(
    cluster
      .command("add")
      .description("register a cluster: from a kubeconfig context (pool workers reach it), or for an agent (--agent)")
      .argument("<name>", "the cluster's name (a DNS-1123 subdomain)")
      .option("--kubeconfig <file>", "a kubeconfig; its context is stored, encrypted, with nothing else of the file")
      .option("--context <ctx>", "the kubeconfig context to register (default: its current-context)")
      .option("--agent", "an agent inside the cluster serves it; prints the agent's join secret, once")
      .option("--api-server <url>", "with --agent: the cluster's Kubernetes API server URL, when known")
      .option("--label <k=v>", "a label (repeatable)", collect, [])
      .option("--overwrite", "replace an existing registration (an agent gets a new join secret)")
      .addOption(outputOption()),
  ).action(
    run(
      ctx,
      async (
        name: string,
        opts: ConnectionFlags &
          Output & {
            kubeconfig?: string;
            context?: string;
            agent?: boolean;
            apiServer?: string;
            label: string[];
            overwrite?: boolean;
          },
      ) => {
        const labels = parseLabelArgs(opts.label, { allowRemove: false });
        if (!labels.ok) throw invalid(`--label ${labels.arg}: ${labels.why}`);
        if (opts.agent === true && opts.kubeconfig !== undefined) {
          throw invalid("--agent and --kubeconfig exclude each other: an agent's credentials stay in its cluster");
        }
        if (opts.agent !== true && opts.kubeconfig === undefined) throw invalid("give --kubeconfig FILE or --agent");
        if (opts.agent !== true && opts.apiServer !== undefined) {
          throw invalid("--api-server is for --agent; a kubeconfig's context names its server");
        }
        if (opts.agent === true && opts.context !== undefined) throw invalid("--context is for --kubeconfig");
        const body: Record<string, unknown> = { name, labels: labels.set };
        if (opts.agent === true) {
          body.mode = "agent";
          if (opts.apiServer !== undefined) body.server = opts.apiServer;
        } else {
          body.kubeconfig = await readKubeconfig(opts.kubeconfig!);
          if (opts.context !== undefined) body.context = opts.context;
        }
        const client = await ctx.client(opts);
        const answer = await client.request<RegisterAnswer>("POST", "/api/v1/clusters", {
          body,
          ...(opts.overwrite === true && { query: { overwrite: "true" } }),
        });
        ctx.io.stdout(printed(answer, opts.output, () => registeredText(answer)));
        if (answer.agent !== undefined && opts.output === "table") {
          ctx.io.stderr(
            "the agent's Redis password is shown this once; store it now (cluster add --overwrite makes a new one)\n",
          );
        }
        return ExitCode.Ok;
      },
    ),
  );

  withConnection(
    cluster
      .command("list")
      .description("every cluster: state, reachability, serving worker, queue, Applications")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (opts: ConnectionFlags & Output) => {
      const items = await (await ctx.client(opts)).getAll<ClusterView>("/api/v1/clusters");
      ctx.io.stdout(printed(items, opts.output, () => clusterTable(items)));
      return ExitCode.Ok;
    }),
  );

  withConnection(
    cluster.command("get").description("one cluster in full").argument("<name>").addOption(outputOption()),
  ).action(
    run(ctx, async (name: string, opts: ConnectionFlags & Output) => {
      const client = await ctx.client(opts);
      const view = await client.get<ClusterView>(path(name));
      ctx.io.stdout(printed(view, opts.output, () => clusterDetails(view)));
      return ExitCode.Ok;
    }),
  );

  withConnection(
    cluster
      .command("label")
      .description("set labels (k=v) and remove them (k-), as kubectl label; the others stay")
      .argument("<name>")
      .argument("<labels...>", "k=v to set, k- to remove")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (name: string, args: string[], opts: ConnectionFlags & Output) => {
      const parsed = parseLabelArgs(args, { allowRemove: true });
      if (!parsed.ok) throw invalid(`${parsed.arg}: ${parsed.why}`);
      const client = await ctx.client(opts);
      const view = await client.patch<ClusterView>(`${path(name)}/labels`, { set: parsed.set, remove: parsed.remove });
      const labels = Object.entries(view.labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      ctx.io.stdout(
        printed(view, opts.output, () => `cluster "${name}" labelled: ${labels === "" ? "<none>" : labels}`),
      );
      return ExitCode.Ok;
    }),
  );

  withConnection(
    cluster
      .command("rm")
      .description(
        "remove a cluster: its Applications are deleted from it through the deletion guard, then the cluster goes; --orphan forgets them and leaves their objects on it",
      )
      .argument("<name>")
      .option("--orphan", "remove at once, leaving every object on the cluster")
      .addOption(outputOption()),
  ).action(
    run(ctx, async (name: string, opts: ConnectionFlags & Output & { orphan?: boolean }) => {
      const client = await ctx.client(opts);
      const answer = await client.delete<RemovalAnswer>(
        path(name),
        opts.orphan === true ? { orphan: "true" } : undefined,
      );
      ctx.io.stdout(printed(answer, opts.output, () => removalText(answer)));
      return ExitCode.Ok;
    }),
  );
}

async function readKubeconfig(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw invalid(
      `--kubeconfig ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function registeredText(answer: RegisterAnswer): string {
  const c = answer.cluster;
  const head = `cluster "${c.name}" registered (${c.mode}, server ${c.server})`;
  if (answer.agent === undefined) return head;
  const env = Object.entries(answer.agent.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [head, "start its agent with:", ...env].join("\n");
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
