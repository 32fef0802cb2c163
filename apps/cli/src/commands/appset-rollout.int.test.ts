import { apiHarness } from "@flotilla/api/testing";
import { advanceRollout, planRollout, type Rollout } from "@flotilla/rollout";
import { generationRecordOf } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../testing/run-cli.ts";

const env = (value: string, maxUpdate?: number) => ({
  matchExpressions: [{ key: "env", operator: "In" as const, values: [value] }],
  ...(maxUpdate !== undefined && { maxUpdate }),
});

/** dev done, prod waiting at its manual gate, staging (no step) last. */
function gatedRollout(): Rollout {
  const planned = planRollout({
    id: "r1",
    appSet: "shop",
    commit: "c".repeat(40),
    steps: [env("dev"), env("prod", 0)],
    updates: [
      { application: "web-dev", cluster: "dev", labels: { env: "dev" }, desiredDigest: "d1" },
      { application: "web-prod", cluster: "prod", labels: { env: "prod" }, desiredDigest: "d2" },
      { application: "web-staging", cluster: "staging", labels: { env: "staging" }, desiredDigest: "d3" },
    ],
    deletes: [],
    now: new Date("2026-12-01T12:00:00Z"),
  });
  const now = new Date("2026-12-01T12:00:05Z");
  const released = advanceRollout(planned, new Map(), now).rollout;
  const seen = new Map([["web-dev", { status: { desiredDigest: "d1", sync: "Synced" as const, health: "Healthy" } }]]);
  return advanceRollout(released, seen, now).rollout;
}

describeWithRedis("flotilla appset get|promote|resume on a rollout (process, real API, Redis)", (info) => {
  const api = apiHarness(info.url);
  const as = (who: "read" | "admin") => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.tokens[who] });

  beforeAll(async () => {
    await api.store.generations.record(
      generationRecordOf({
        appSet: "shop",
        commit: "c".repeat(40),
        generation: { appSet: "shop", applications: [], errors: [] },
        diff: { creates: [], updates: [], deletes: [], unchanged: [] },
      }),
    );
    await api.store.rollouts.start(gatedRollout(), []);
  });

  it("get shows the steps table and each Application's state", async () => {
    const r = await runCli(["appset", "get", "shop"], as("read"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(r.stdout).toContain("Rollout: Progressing (1/3 done) at cccccccccccc");
    const steps = lines.slice(lines.findIndex((l) => l.startsWith("#  ")));
    expect(steps[0]).toMatch(/^#\s+STEP\s+CHANGE\s+MAXUPDATE\s+STATE\s+APPLICATIONS\s+STARTED\s+COMPLETED$/);
    expect(steps[1]).toMatch(
      /^1\s+1\s+update\s+100%\s+Completed\s+1\/1\s+2026-12-01T12:00:05.000Z\s+2026-12-01T12:00:05.000Z$/,
    );
    expect(steps[2]).toMatch(/^2\s+2\s+update\s+0\s+Gated\s+0\/1$/);
    expect(steps[3]).toMatch(/^3\s+no step \(last\)\s+update\s+100%\s+Waiting\s+0\/1$/);
    expect(r.stdout).toMatch(/web-prod\s+prod\s+2\s+update\s+Pending\s+waiting for promote \(manual gate\)/);
    expect(r.stdout).toMatch(/web-staging\s+staging\s+3\s+update\s+Waiting/);
    const json = await runCli(["appset", "get", "shop", "-o", "json"], as("read"));
    expect((JSON.parse(json.stdout) as { rollout: Rollout }).rollout.id).toBe("r1");
  });

  it("promote is recorded for the generator; resume when not halted and a read token are refused with their exit codes", async () => {
    const refused = await runCli(["appset", "resume", "shop"], as("admin"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("error: the rollout of shop is not halted\n");
    const read = await runCli(["appset", "promote", "shop"], as("read"));
    expect(read.code).toBe(4);
    const missing = await runCli(["appset", "promote", "nothing"], as("admin"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('rollout of ApplicationSet "nothing" not found');
    expect(await api.store.rollouts.request("shop")).toBeUndefined();

    const ok = await runCli(["appset", "promote", "shop"], as("admin"));
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(
      "promote of the rollout of shop (r1) requested; the generator carries it out at its next rollout tick\n",
    );
    expect(await api.store.rollouts.request("shop")).toMatchObject({ action: "promote", rollout: "r1" });
  });
});
