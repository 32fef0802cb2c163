import type { Command } from "commander";
import { ApiClient } from "../api/client.ts";
import { checkedServer, configPath, readConfigFile, writeConfigFile } from "../api/connection.ts";
import { type CliContext, run } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";

/**
 * `flotilla login --server URL --token TOKEN`: checks the pair against the API (a token that does not work is not
 * saved), then writes them to the config file, readable by its owner only.
 */
export function registerLoginCommand(program: Command, ctx: CliContext): void {
  program
    .command("login")
    .description("check a server and token, and save them for later commands (under the XDG config directory)")
    .requiredOption("--server <url>", "the Flotilla API, e.g. http://127.0.0.1:8080")
    .requiredOption("--token <token>", "a bearer token (from `flotilla token create`, or the bootstrap token)")
    .action(
      run(ctx, async (opts: { server: string; token: string }) => {
        const server = checkedServer(opts.server);
        // Any authenticated read proves both: the server is Flotilla's and it takes this token.
        await new ApiClient({ server, token: opts.token }).get("/api/v1/whoami");
        const path = configPath(ctx.env);
        await writeConfigFile(path, { ...(await readConfigFile(path)), server, token: opts.token });
        ctx.io.stdout(`logged in to ${server}; saved to ${path}\n`);
        return ExitCode.Ok;
      }),
    );
}
