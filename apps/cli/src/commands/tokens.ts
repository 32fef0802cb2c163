import { Argument, type Command, Option } from "commander";
import {
  type CliContext,
  type ConnectionFlags,
  type OutputFormat,
  outputOption,
  run,
  withConnection,
} from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { printed } from "../output/print.ts";
import { plainTable } from "../output/table.ts";

interface TokenRecord {
  name: string;
  scope: "read" | "admin";
  createdAt: string;
}

/** `flotilla token create|list|revoke`: API tokens; a new token's secret is printed once. */
export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command("token").description("API tokens: create (read or admin scope), list, revoke");

  withConnection(
    token
      .command("create")
      .description("make a token and print its secret (shown this once; store it now)")
      .addArgument(new Argument("<name>", "the token's name"))
      .addOption(
        new Option("--scope <scope>", "read sees the fleet; admin also changes it")
          .choices(["read", "admin"])
          .makeOptionMandatory(),
      )
      .addOption(outputOption()),
  ).action(
    run(ctx, async (name: string, opts: ConnectionFlags & { scope: "read" | "admin"; output: OutputFormat }) => {
      const client = await ctx.client(opts);
      const made = await client.post<{ token: string; record: TokenRecord }>("/api/v1/tokens", {
        name,
        scope: opts.scope,
      });
      ctx.io.stdout(printed(made, opts.output, () => made.token));
      if (opts.output === "table") ctx.io.stderr(`token "${name}" (${opts.scope}) created; it is not shown again\n`);
      return ExitCode.Ok;
    }),
  );

  withConnection(
    token.command("list").description("the tokens (never their secrets)").addOption(outputOption()),
  ).action(
    run(ctx, async (opts: ConnectionFlags & { output: OutputFormat }) => {
      const client = await ctx.client(opts);
      const { items } = await client.get<{ items: TokenRecord[] }>("/api/v1/tokens");
      ctx.io.stdout(
        printed(items, opts.output, () =>
          plainTable(
            ["NAME", "SCOPE", "CREATED"],
            items.map((t) => [t.name, t.scope, t.createdAt]),
          ),
        ),
      );
      return ExitCode.Ok;
    }),
  );

  withConnection(
    token
      .command("revoke")
      .description("revoke a token: requests carrying it are refused from now on")
      .argument("<name>"),
  ).action(
    run(ctx, async (name: string, opts: ConnectionFlags) => {
      const client = await ctx.client(opts);
      await client.delete(`/api/v1/tokens/${encodeURIComponent(name)}`);
      ctx.io.stdout(`token "${name}" revoked\n`);
      return ExitCode.Ok;
    }),
  );
}
