import type { Command } from "commander";
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

interface RolloutRequestAnswer {
  request: { action: "promote" | "resume"; rollout: string; at: string };
}

/**
 * `flotilla appset promote|resume NAME`: the operator's answers to a RollingSync rollout, carried out by the
 * generator's next rollout tick. One that does not apply now (no rollout, not at a gate, not halted) is refused by
 * the API with the reason.
 */
export function registerRolloutCommands(appset: Command, ctx: CliContext): void {
  for (const action of ["promote", "resume"] as const) {
    withConnection(
      appset
        .command(action)
        .description(
          action === "promote"
            ? "pass the manual gate (maxUpdate 0) the ApplicationSet's rollout waits at: that step then runs"
            : "resume a halted rollout: the Applications that halted it are no longer waited for",
        )
        .argument("<name>")
        .addOption(outputOption()),
    ).action(
      run(ctx, async (name: string, opts: ConnectionFlags & { output: OutputFormat }) => {
        const client = await ctx.client(opts);
        const answer = await client.post<RolloutRequestAnswer>(`/api/v1/appsets/${encodeURIComponent(name)}/${action}`);
        ctx.io.stdout(
          printed(
            answer,
            opts.output,
            () =>
              `${action} of the rollout of ${name} (${answer.request.rollout}) requested; the generator carries it out at its next rollout tick\n`,
          ),
        );
        return ExitCode.Ok;
      }),
    );
  }
}
