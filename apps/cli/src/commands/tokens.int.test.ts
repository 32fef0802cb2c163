import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness, BOOTSTRAP_TOKEN } from "@flotilla/api/testing";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { runCli } from "../testing/run-cli.ts";

describeWithRedis("flotilla login and token (process, real API and Redis)", (redis) => {
  const api = apiHarness(redis.url);
  const as = (token: string) => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: token });

  it("token create prints the secret once; list shows it without; revoke makes it fail with exit 4", async () => {
    const made = await runCli(["token", "create", "ci", "--scope", "read"], as(api.tokens.admin));
    expect(made.stderr).toContain('token "ci" (read) created');
    expect(made.code).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^flt_/);

    const listed = await runCli(["token", "list"], as(api.tokens.admin));
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(secret);
    const ciLine = listed.stdout.split("\n").find((l) => l.startsWith("ci "));
    expect(ciLine).toMatch(/^ci\s+read\s+\d{4}-\d\d-\d\dT/);
    expect(listed.stdout.split("\n")[0]).toMatch(/^NAME\s+SCOPE\s+CREATED$/);

    const json = await runCli(["token", "list", "-o", "json"], as(secret));
    expect(json.code).toBe(4);
    expect(json.stderr).toContain("needs admin");

    expect((await runCli(["token", "revoke", "ci"], as(api.tokens.admin))).code).toBe(0);
    const after = await runCli(["token", "list"], as(secret));
    expect(after.code).toBe(4);
    expect(after.stderr).toContain("unknown or revoked");
    expect(after.stderr).not.toContain(secret);
  });

  it("-o json and -o yaml print the API's answer", async () => {
    const json = await runCli(["token", "list", "-o", "json"], as(api.tokens.admin));
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout) as { name: string; scope: string }[];
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ name: "test-read", scope: "read" })]));
    const yaml = await runCli(["token", "list", "-o", "yaml"], as(api.tokens.admin));
    expect(yaml.stdout).toMatch(/- name: test-admin\n\s+scope: admin/);
  });

  it("login checks the token, then saves server and token for later commands, readable by its owner only", async () => {
    const config = mkdtempSync(join(tmpdir(), "flotilla-login-"));
    const env = { XDG_CONFIG_HOME: config };
    const bad = await runCli(["login", "--server", api.url, "--token", "flt_wrong"], env);
    expect(bad.code).toBe(4);
    const good = await runCli(["login", "--server", api.url, "--token", BOOTSTRAP_TOKEN], env);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(0);
    const file = join(config, "flotilla", "config.yaml");
    expect(readFileSync(file, "utf8")).toContain(api.url);
    expect(statSync(file).mode & 0o077).toBe(0);
    const listed = await runCli(["token", "list", "-o", "json"], env);
    expect(listed.code).toBe(0);
  });

  it("exit 3 when the server does not answer, 2 for a server that is not a URL", async () => {
    const down = await runCli(["token", "list"], { FLOTILLA_SERVER: "http://127.0.0.1:9", FLOTILLA_TOKEN: "x" });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach the Flotilla API at http://127.0.0.1:9");
    const notUrl = await runCli(["token", "list", "--server", "not a url"]);
    expect(notUrl.code).toBe(2);
  });

  it("a bad scope is exit 2 before anything is sent", async () => {
    const r = await runCli(["token", "create", "x", "--scope", "root"], as(api.tokens.admin));
    expect(r.code).toBe(2);
  });
});
