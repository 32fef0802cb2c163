import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, type ServiceProcess, startServiceProcess } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { afterEach, expect, it } from "vitest";

const script = fileURLToPath(new URL("./main.ts", import.meta.url));

// The API as an operator runs it: `node apps/api/src/main.ts`, configured by FLOTILLA_* variables, a bootstrap
// token in a file readable by its owner only.
describeWithRedis("the API process (real Redis)", (redis) => {
  const running: ServiceProcess[] = [];
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  const start = (env: Record<string, string>) => {
    const proc = startServiceProcess({
      script,
      env: {
        FLOTILLA_REDIS_URL: redis.url,
        FLOTILLA_REDIS_PREFIX: `t:${randomBytes(6).toString("hex")}:`,
        FLOTILLA_API_HOST: "127.0.0.1",
        FLOTILLA_API_PORT: "0",
        ...env,
      },
    });
    running.push(proc);
    return proc;
  };
  const tokenFile = (token: string) => {
    const file = join(mkdtempSync(join(tmpdir(), "flotilla-api-")), "token");
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return file;
  };

  it("serves /readyz, refuses a request without a token (401), answers the bootstrap token (200), stops on SIGTERM", async () => {
    const token = randomBytes(24).toString("base64url");
    const proc = start({ FLOTILLA_API_TOKEN_FILE: tokenFile(token) });
    const started = await eventually(
      "the api started line",
      () => proc.logs().find((l) => l.msg === "api started"),
      60_000,
    );
    const base = `http://127.0.0.1:${String(started.port)}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { redis: true } });
    const none = await fetch(`${base}/api/v1/tokens`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: "Unauthorized" });
    const admin = await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ name: "bootstrap", scope: "admin" });
    const made = await fetch(`${base}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "ops", scope: "read" }),
    });
    expect(made.status).toBe(201);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const logs = JSON.stringify(proc.logs());
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(((await made.json()) as { token: string }).token);
    expect(proc.stderr()).toBe("");
  });

  it.each([
    { why: "a port that is not a number", env: { FLOTILLA_API_PORT: "80a" }, names: "FLOTILLA_API_PORT" },
    {
      why: "a token file that is not there",
      env: { FLOTILLA_API_TOKEN_FILE: "/nonexistent/flotilla-token" },
      names: "FLOTILLA_API_TOKEN_FILE",
    },
    {
      why: "both a token and a token file",
      env: { FLOTILLA_API_TOKEN: "s3cr3t-both-0123456789", FLOTILLA_API_TOKEN_FILE: "/nonexistent/t" },
      names: "FLOTILLA_API_TOKEN_FILE and FLOTILLA_API_TOKEN",
    },
    { why: "a bootstrap token too short", env: { FLOTILLA_API_TOKEN: "s3cr3t-short" }, names: "bootstrap token" },
    {
      why: "an encryption key that is not 32 bytes",
      env: { FLOTILLA_ENCRYPTION_KEY: "s3cr3t-not-a-key" },
      names: "FLOTILLA_ENCRYPTION_KEY",
    },
    {
      why: "a flag that is not true or false",
      env: { FLOTILLA_ALLOW_LOCAL_REPOS: "yes" },
      names: "FLOTILLA_ALLOW_LOCAL_REPOS",
    },
  ] satisfies { why: string; env: Record<string, string>; names: string }[] as {
    why: string;
    env: Record<string, string>;
    names: string;
  }[])("$why: exit 2, a message naming $names, no secret echoed", async ({ env, names }) => {
    const proc = start(env);
    expect(await proc.exited).toBe(2);
    const stderr = proc.stderr();
    expect(stderr).toContain(names);
    expect(stderr).toMatch(/^flotilla api: /);
    expect(stderr).not.toMatch(/s3cr3t/);
    expect(JSON.stringify(proc.logs())).not.toMatch(/s3cr3t/);
  });
});
