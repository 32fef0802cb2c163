import { advanceRollout, planRollout, type Rollout } from "@flotilla/rollout";
import { generationRecordOf } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { beforeAll, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";

const env = (value: string, maxUpdate?: number) => ({
  matchExpressions: [{ key: "env", operator: "In" as const, values: [value] }],
  ...(maxUpdate !== undefined && { maxUpdate }),
});

/** A rollout of `appSet` that finished dev and waits at prod's manual gate. */
function gatedAtProd(appSet: string): Rollout {
  const planned = planRollout({
    id: `${appSet}-r1`,
    appSet,
    commit: "c".repeat(40),
    steps: [env("dev"), env("prod", 0)],
    updates: [
      { application: "web-dev", cluster: "dev", labels: { env: "dev" }, desiredDigest: "d1" },
      { application: "web-prod", cluster: "prod", labels: { env: "prod" }, desiredDigest: "d2" },
    ],
    deletes: [],
    now: new Date("2026-12-01T12:00:00Z"),
  });
  const now = new Date("2026-12-01T12:00:05Z");
  const released = advanceRollout(planned, new Map(), now).rollout;
  const seen = new Map([["web-dev", { status: { desiredDigest: "d1", sync: "Synced" as const, health: "Healthy" } }]]);
  return advanceRollout(released, seen, now).rollout;
}

describeWithRedis("rollout routes (real Redis)", (info) => {
  const api = apiHarness(info.url);

  beforeAll(async () => {
    for (const appSet of ["shop", "plain"]) {
      await api.store.generations.record(
        generationRecordOf({
          appSet,
          commit: "c".repeat(40),
          generation: { appSet, applications: [], errors: [] },
          diff: { creates: [], updates: [], deletes: [], unchanged: [] },
        }),
      );
    }
    await api.store.rollouts.start(gatedAtProd("shop"), []);
  });

  it("GET /appsets/:name carries the rollout: steps with their state and Applications; none without RollingSync", async () => {
    const res = await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" });
    expect(res.statusCode).toBe(200);
    const { rollout } = res.json() as { rollout: Rollout };
    expect(rollout.steps.map((s) => [s.index, s.state])).toEqual([
      [0, "Completed"],
      [1, "Gated"],
    ]);
    expect(rollout.applications.map((a) => [a.application, a.state])).toEqual([
      ["web-dev", "Healthy"],
      ["web-prod", "Pending"],
    ]);
    const plain = await api.call("read", { method: "GET", url: "/api/v1/appsets/plain" });
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).not.toHaveProperty("rollout");
    const alone = await api.call("read", { method: "GET", url: "/api/v1/appsets/shop/rollout" });
    expect(alone.json()).toEqual(rollout);
  });

  it("promote and resume need the admin scope, name what does not apply, and record what does", async () => {
    const promote = (who: "read" | "admin" | "none", name = "shop") =>
      api.call(who, { method: "POST", url: `/api/v1/appsets/${name}/promote` });
    expect((await promote("none")).statusCode).toBe(401);
    expect((await promote("read")).statusCode).toBe(403);
    expect(await api.store.rollouts.request("shop")).toBeUndefined();

    const resumed = await api.call("admin", { method: "POST", url: "/api/v1/appsets/shop/resume" });
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json()).toEqual({ error: "Conflict", message: "the rollout of shop is not halted" });

    const missing = await promote("admin", "plain");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: "NotFound", message: 'rollout of ApplicationSet "plain" not found' });

    const ok = await promote("admin");
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ request: { action: "promote", rollout: "shop-r1" } });
    expect(await api.store.rollouts.request("shop")).toMatchObject({ action: "promote", rollout: "shop-r1" });
  });

  it("refuses hostile names before touching the store", async () => {
    const long = "a".repeat(300);
    const res = await api.call("admin", { method: "POST", url: `/api/v1/appsets/${long}/promote` });
    // Longer than the router takes for a path parameter: refused as such, nothing read or written.
    expect(res.statusCode).toBe(414);
    expect(await api.store.rollouts.request(long)).toBeUndefined();
    const odd = await api.call("read", { method: "GET", url: "/api/v1/appsets/%2e%2e%2fx/rollout" });
    expect(odd.statusCode).toBe(404);
  });
});
