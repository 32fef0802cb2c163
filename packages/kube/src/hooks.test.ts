import { describe, expect, it } from "vitest";
import { InvalidSyncAnnotation } from "./errors/invalid-sync-annotation.ts";
import { isHook, syncRoleOf } from "./hooks.ts";
import type { KubeObject } from "./object.ts";
import { foundationOf, hookWaves, planSync, resourcesOf } from "./sync-plan.ts";

const job = (name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: "a", ...(annotations ? { annotations } : {}) },
});
const hook = (value: string, extra: Record<string, string> = {}) => ({ "argocd.argoproj.io/hook": value, ...extra });

describe("hooks", () => {
  it.each([
    ["no annotation", undefined, { role: "resource" }],
    ["Sync: an ordinary resource, as in Argo CD", hook("Sync"), { role: "resource" }],
    ["Skip", hook("Skip"), { role: "skip" }],
    [
      "PreSync with the default delete policy",
      hook("PreSync"),
      { role: "hook", phases: ["PreSync"], deletePolicies: ["BeforeHookCreation"], wave: 0 },
    ],
    [
      "several phases and policies, in a fixed order",
      hook("SyncFail, PreSync", { "argocd.argoproj.io/hook-delete-policy": "HookSucceeded,HookFailed" }),
      { role: "hook", phases: ["PreSync", "SyncFail"], deletePolicies: ["HookSucceeded", "HookFailed"], wave: 0 },
    ],
    [
      "Flotilla's annotations over Argo CD's, and a hook's wave",
      {
        "flotilla.dev/hook": "PostSync",
        "argocd.argoproj.io/hook": "PreSync",
        "flotilla.dev/hook-delete-policy": "HookSucceeded",
        "argocd.argoproj.io/hook-delete-policy": "HookFailed",
        "argocd.argoproj.io/sync-wave": "-2",
      },
      { role: "hook", phases: ["PostSync"], deletePolicies: ["HookSucceeded"], wave: -2 },
    ],
  ])("reads %s", (_name, annotations, expected) => {
    expect(syncRoleOf(job("j", annotations))).toEqual(expected);
  });

  it.each([
    [
      "an unknown phase",
      job("j", hook("PreSinc")),
      /annotation argocd\.argoproj\.io\/hook is "PreSinc"; expected PreSync, Sync/,
    ],
    ["PostDelete, which Flotilla does not run", job("j", hook("PostDelete")), /does not run PostDelete hooks/],
    ["an empty value", job("j", hook("")), /hook is ""; expected/],
    ["Skip mixed with a phase", job("j", hook("Skip,PreSync")), /expected Sync or Skip alone/],
    [
      "an unknown delete policy",
      job("j", hook("PreSync", { "argocd.argoproj.io/hook-delete-policy": "Always" })),
      /hook-delete-policy is "Always"; expected HookSucceeded, HookFailed or BeforeHookCreation .*"Always" is none/,
    ],
    [
      "a delete policy on an object that is no hook",
      job("j", { "flotilla.dev/hook-delete-policy": "HookSucceeded" }),
      /flotilla\.dev\/hook-delete-policy is "HookSucceeded"; expected no delete policy on an object without/,
    ],
    [
      "a delete policy on a Sync object",
      job("j", hook("Sync", { "argocd.argoproj.io/hook-delete-policy": "HookSucceeded" })),
      /expected no delete policy on a Sync object/,
    ],
    [
      "a hook that is not a Job",
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a", annotations: hook("PreSync") } },
      /Pod\/a\/p: annotation argocd\.argoproj\.io\/hook is "PreSync"; expected a hook phase only on a Job \(batch\/v1\), not on a Pod/,
    ],
    [
      "a hook with a bad wave",
      job("j", hook("PreSync", { "argocd.argoproj.io/sync-wave": "early" })),
      /sync-wave is "early"/,
    ],
  ])("refuses %s, naming the object", (_name, object, message) => {
    expect(() => syncRoleOf(object)).toThrow(InvalidSyncAnnotation);
    expect(() => syncRoleOf(object)).toThrow(message);
  });

  it("tells a live hook without refusing anything", () => {
    expect(isHook(job("j", hook("PreSync")))).toBe(true);
    expect(isHook(job("j", { "flotilla.dev/hook": "PostSync" }))).toBe(true);
    expect(isHook(job("j", hook("Sync")))).toBe(false);
    expect(isHook(job("j", hook("nonsense")))).toBe(false);
    expect(isHook(job("j"))).toBe(false);
  });
});

describe("sync plan", () => {
  const objects: KubeObject[] = [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "a" } },
    job("migrate", hook("PreSync", { "argocd.argoproj.io/sync-wave": "1" })),
    job("backup", hook("PreSync")),
    job("notify", hook("PostSync,SyncFail")),
    job("seed", { "argocd.argoproj.io/sync-wave": "-1" }),
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "old", namespace: "a", annotations: hook("Skip") } },
  ];

  it("splits resources into waves and hooks out of them", () => {
    const plan = planSync(objects);
    expect(plan.waves.map((w) => [w.wave, w.objects.map((o) => o.metadata.name)])).toEqual([
      [-1, ["seed"]],
      [0, ["web"]],
    ]);
    expect(resourcesOf(plan).map((o) => o.metadata.name)).toEqual(["seed", "web"]);
    expect(plan.skipped.map((o) => o.metadata.name)).toEqual(["old"]);
    expect(plan.hooks.map((h) => h.object.metadata.name).sort()).toEqual(["backup", "migrate", "notify"]);
  });

  it("orders each phase's hooks by wave", () => {
    const plan = planSync(objects);
    const namesOf = (phase: "PreSync" | "PostSync" | "SyncFail") =>
      hookWaves(plan, phase).map((w) => [w.wave, w.hooks.map((h) => h.object.metadata.name)]);
    expect(namesOf("PreSync")).toEqual([
      [0, ["backup"]],
      [1, ["migrate"]],
    ]);
    expect(namesOf("PostSync")).toEqual([[0, ["notify"]]]);
    expect(namesOf("SyncFail")).toEqual([[0, ["notify"]]]);
  });

  it("refuses a set with one bad annotation as a whole", () => {
    expect(() => planSync([...objects, job("typo", hook("Presync"))])).toThrow(/Job\/a\/typo: annotation/);
  });

  it("takes Namespaces and CRDs out for applying before PreSync hooks", () => {
    const plan = planSync([
      ...objects,
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
      { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "w.example.com" } },
    ]);
    const { foundation, rest } = foundationOf(plan);
    expect(foundation.map((o) => o.metadata.name)).toEqual(["a", "w.example.com"]);
    expect(rest.waves.map((w) => [w.wave, w.objects.map((o) => o.metadata.name)])).toEqual([
      [-1, ["seed"]],
      [0, ["web"]],
    ]);
    expect(rest.hooks).toBe(plan.hooks);
    const onlyNamespace = foundationOf(planSync([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }]));
    expect(onlyNamespace.rest.waves).toEqual([]);
  });
});
