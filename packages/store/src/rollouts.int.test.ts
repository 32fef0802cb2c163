import type { Application } from "@flotilla/core";
import { advanceRollout, planRollout, type Rollout } from "@flotilla/rollout";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { isStaleFenceError } from "./errors/stale-fence-error.ts";
import type { StagedChange } from "./rollouts.ts";
import { freshStores } from "./testing/fresh-stores.ts";

const app = (name: string, env: string): Application => ({
  apiVersion: "flotilla.dev/v1alpha1",
  kind: "Application",
  metadata: { name, labels: { env } },
  spec: { source: { repoURL: "https://git.example/apps.git", path: name }, destination: { cluster: env } },
});

function gatedRollout(): Rollout {
  const planned = planRollout({
    id: "r1",
    appSet: "shop",
    commit: "c1",
    steps: [
      { matchExpressions: [{ key: "env", operator: "In", values: ["dev"] }], maxUpdate: 0 },
      { matchExpressions: [{ key: "env", operator: "In", values: ["prod"] }] },
    ],
    updates: [
      { application: "web-dev", cluster: "dev", labels: { env: "dev" }, desiredDigest: "d1" },
      { application: "web-prod", cluster: "prod", labels: { env: "prod" }, desiredDigest: "d2" },
    ],
    deletes: [],
    now: new Date(),
  });
  return advanceRollout(planned, new Map(), new Date()).rollout;
}

const staged: StagedChange[] = [
  { change: "update", application: app("web-dev", "dev"), desiredDigest: "d1", source: { commit: "abc" } },
  { change: "update", application: app("web-prod", "prod"), desiredDigest: "d2" },
];

describeWithRedis("rollout state (real Redis)", (info) => {
  const stores = freshStores(info.url);

  it("stores a rollout with what it holds back, replaces both at once, and refuses a stale fence", async () => {
    const store = await stores.open();
    const first = await store.lease("generator").acquire("a");
    const fence = { lease: "generator", token: first!.fence };
    await store.rollouts.start(gatedRollout(), staged, { fence });
    expect((await store.rollouts.get("shop"))?.steps.map((s) => s.state)).toEqual(["Gated", "Waiting"]);
    expect(await store.rollouts.staged("shop", ["web-prod", "web-dev", "nope"])).toEqual([
      staged[1],
      staged[0],
      undefined,
    ]);
    // A superseding rollout drops the previous one's staged changes.
    await store.rollouts.start({ ...gatedRollout(), id: "r2" }, staged.slice(1), { fence });
    expect(await store.rollouts.staged("shop", ["web-dev", "web-prod"])).toEqual([undefined, staged[1]]);

    await store.lease("generator").release(first!);
    expect(await store.lease("generator").acquire("b")).toBeDefined();
    const err = await store.rollouts.put(gatedRollout(), { fence }).catch((e: unknown) => e);
    expect(isStaleFenceError(err)).toBe(true);
    expect((await store.rollouts.get("shop"))?.id).toBe("r2");
  });

  it("promote and resume are checked against the rollout now, and recorded bound to it", async () => {
    const store = await stores.open();
    expect(await store.rollouts.promote("shop")).toEqual({ ok: false, problem: "ApplicationSet shop has no rollout" });
    await store.rollouts.start(gatedRollout(), staged);
    expect(await store.rollouts.resume("shop")).toEqual({ ok: false, problem: "the rollout of shop is not halted" });
    expect(await store.rollouts.request("shop")).toBeUndefined();
    const promoted = await store.rollouts.promote("shop", new Date("2026-12-01T12:00:00Z"));
    expect(promoted).toEqual({
      ok: true,
      request: { action: "promote", rollout: "r1", at: "2026-12-01T12:00:00.000Z" },
    });
    const request = await store.rollouts.request("shop");
    expect(request).toEqual(promoted.ok && promoted.request);
    // Settling another request leaves this one.
    await store.rollouts.settle("shop", { ...request!, at: "other" });
    expect(await store.rollouts.request("shop")).toEqual(request);
    await store.rollouts.settle("shop", request!);
    expect(await store.rollouts.request("shop")).toBeUndefined();

    await store.rollouts.clear("shop");
    expect(await store.rollouts.get("shop")).toBeUndefined();
    expect(await store.rollouts.staged("shop", ["web-prod"])).toEqual([undefined]);
  });
});
