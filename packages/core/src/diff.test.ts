import { describe, expect, it } from "vitest";
import type { Application } from "./appset.ts";
import { type DiffPolicy, defaultDiffPolicy, diffGenerations, diffPolicyOf } from "./diff.ts";
import type { ElementError, Generation } from "./generation.ts";
import { specDigest } from "./spec-digest.ts";

function app(name: string, path = `apps/${name}`): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name },
    spec: { source: { repoURL: "https://git.example/fleet.git", path }, destination: { cluster: "dev" } },
  };
}

function previousOf(...apps: Application[]): Map<string, string> {
  return new Map(apps.map((a) => [a.metadata.name, specDigest(a)]));
}

function gen(applications: Application[], errors: ElementError[] = []): Generation {
  return { appSet: "set", applications, errors };
}

const names = (changes: { application: Application }[]) => changes.map((c) => c.application.metadata.name);

describe("diffGenerations", () => {
  const prev = previousOf(app("a"), app("b"), app("c"), app("d"));

  it("creates new, updates changed, deletes stale, keeps unchanged", () => {
    const d = diffGenerations(prev, gen([app("a"), app("b", "moved"), app("c"), app("e")]), defaultDiffPolicy());
    expect(names(d.creates)).toEqual(["e"]);
    expect(names(d.updates)).toEqual(["b"]);
    expect(d.deletes).toEqual(["d"]);
    expect(d.unchanged).toEqual(["a", "c"]);
    expect(d.held).toBeUndefined();
  });

  it("an Application the caller marks unchanged (no digest) keeps the one in force; a new one without a digest is refused", () => {
    const marked = (a: Application) => (a.metadata.name === "b" ? "changed" : undefined);
    const d = diffGenerations(prev, gen([app("a"), app("b"), app("c"), app("d")]), defaultDiffPolicy(), {
      desiredDigestOf: marked,
    });
    expect(names(d.updates)).toEqual(["b"]);
    expect(d.unchanged).toEqual(["a", "c", "d"]);
    expect(() =>
      diffGenerations(prev, gen([app("a"), app("new")]), defaultDiffPolicy(), { desiredDigestOf: () => undefined }),
    ).toThrow(/no desired digest for the new Application "new"/);
  });

  it("finds the stale names whether or not every name in force was matched", () => {
    // Same size as before, one renamed: the count alone would say nothing is stale.
    const d = diffGenerations(prev, gen([app("a"), app("b"), app("c"), app("z")]), defaultDiffPolicy());
    expect(d.deletes).toEqual(["d"]);
    expect(names(d.creates)).toEqual(["z"]);
  });

  it("spec digests are independent of key order", () => {
    const a = app("a");
    const reordered = { spec: a.spec, metadata: a.metadata, kind: a.kind, apiVersion: a.apiVersion } as Application;
    expect(specDigest(reordered)).toBe(specDigest(a));
  });

  const policies: { sync: DiffPolicy["applicationsSync"]; creates: string[]; updates: string[]; deletes: string[] }[] =
    [
      { sync: "sync", creates: ["e"], updates: ["b"], deletes: ["d"] },
      { sync: "create-only", creates: ["e"], updates: [], deletes: [] },
      { sync: "create-update", creates: ["e"], updates: ["b"], deletes: [] },
      { sync: "create-delete", creates: ["e"], updates: [], deletes: ["d"] },
    ];
  it.each(policies)("applicationsSync $sync", ({ sync, creates, updates, deletes }) => {
    const policy = { ...defaultDiffPolicy(), applicationsSync: sync };
    const d = diffGenerations(prev, gen([app("a"), app("b", "moved"), app("c"), app("e")]), policy);
    expect(names(d.creates)).toEqual(creates);
    expect(names(d.updates)).toEqual(updates);
    expect(d.deletes).toEqual(deletes);
    expect(d.held).toBeUndefined();
  });

  it("deletes nothing when the generation failed", () => {
    const d = diffGenerations(prev, { ...gen([]), generatorError: "git: repository unreachable" }, defaultDiffPolicy());
    expect(d).toEqual({
      creates: [],
      updates: [],
      deletes: [],
      unchanged: ["a", "b", "c", "d"],
      held: {
        deletes: [],
        reason: "generation failed, previous generation stays in force: git: repository unreachable",
      },
    });
  });

  it("exactly at the threshold (50 %) deletes", () => {
    const d = diffGenerations(prev, gen([app("a"), app("b")]), defaultDiffPolicy());
    expect(d.deletes).toEqual(["c", "d"]);
  });

  it("holds a shrink over the threshold", () => {
    const d = diffGenerations(prev, gen([app("a")]), defaultDiffPolicy());
    expect(d.deletes).toEqual([]);
    expect(d.held).toEqual({
      deletes: ["b", "c", "d"],
      reason: "generation would delete 3 of 4 Applications (75.0%), over the 50% guard; held",
    });
    expect(d.unchanged).toEqual(["a", "b", "c", "d"]);
  });

  it("holds a shrink to zero even under a permissive threshold", () => {
    const policy: DiffPolicy = {
      applicationsSync: "sync",
      deletionGuard: { enabled: true, maxDeletionPercent: 100, windowMs: 0 },
    };
    const d = diffGenerations(previousOf(app("a")), gen([]), policy);
    expect(d.held?.reason).toBe("generation would delete all 1 Application(s); held by the deletion guard");
  });

  it("executes a large shrink when the ApplicationSet opts out of the guard", () => {
    const policy: DiffPolicy = {
      applicationsSync: "sync",
      deletionGuard: { enabled: false, maxDeletionPercent: 50, windowMs: 0 },
    };
    expect(diffGenerations(prev, gen([]), policy).deletes).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the Application of an element that failed after its name rendered", () => {
    const failed: ElementError = { appSet: "set", element: 3, application: "d", params: "", message: "boom" };
    const d = diffGenerations(prev, gen([app("a"), app("b"), app("c")], [failed]), defaultDiffPolicy());
    expect(d.deletes).toEqual([]);
    expect(d.held).toBeUndefined();
  });

  it("holds every deletion while an element failed before it had a name", () => {
    const failed: ElementError = { appSet: "set", element: 3, params: "", message: "missing parameter" };
    const d = diffGenerations(prev, gen([app("a"), app("b"), app("c")], [failed]), defaultDiffPolicy());
    expect(d.deletes).toEqual([]);
    expect(d.held).toEqual({
      deletes: ["d"],
      reason: "1 element(s) failed before their Application was named; deletions wait until every element renders",
    });
  });
});

describe("the deletion guard's boundary and window", () => {
  const apps = (n: number) => Array.from({ length: n }, (_, i) => app(`app${i}`));
  const policy = (maxDeletionPercent: number): DiffPolicy => ({
    applicationsSync: "sync",
    deletionGuard: { enabled: true, maxDeletionPercent, windowMs: 86_400_000 },
  });
  // "maxDeletion: N" means at most N % of the baseline may go: exactly N % passes, one more Application is held.
  const cases = [
    { max: 50, baseline: 8, before: 8, after: 4, held: false },
    { max: 50, baseline: 8, before: 8, after: 3, held: true },
    { max: 50, baseline: 2, before: 2, after: 1, held: false },
    { max: 50, baseline: 3, before: 3, after: 2, held: false },
    { max: 50, baseline: 3, before: 3, after: 1, held: true },
    { max: 25, baseline: 4, before: 4, after: 3, held: false },
    { max: 25, baseline: 8, before: 8, after: 5, held: true },
    { max: 0, baseline: 8, before: 8, after: 7, held: true },
    { max: 100, baseline: 8, before: 8, after: 1, held: false },
    // In steps within the window: counted against the baseline, not the previous generation.
    { max: 50, baseline: 8, before: 6, after: 4, held: false },
    { max: 50, baseline: 8, before: 4, after: 2, held: true },
    { max: 50, baseline: 8, before: 5, after: 3, held: true },
  ];
  it.each(cases)(
    "max $max%, baseline $baseline: $before → $after held=$held",
    ({ max, baseline, before, after, held }) => {
      const all = apps(before);
      const d = diffGenerations(previousOf(...all), gen(all.slice(0, after)), policy(max), { baseline });
      expect(d.held !== undefined).toBe(held);
      expect(d.deletes.length).toBe(held ? 0 : before - after);
    },
  );

  it("8 → 6 → 4 → 2 within the window is held at the step that passes half", () => {
    const all = apps(8);
    let previous = previousOf(...all);
    const outcomes: (string | undefined)[] = [];
    for (const size of [6, 4, 2]) {
      const d = diffGenerations(previous, gen(all.slice(0, size)), policy(50), { baseline: 8 });
      outcomes.push(d.held?.reason);
      if (d.held === undefined) previous = previousOf(...all.slice(0, size));
    }
    expect(outcomes).toEqual([
      undefined,
      undefined,
      "generation would delete 2 of 4 Applications, leaving 2 of the 8 it had within 1d (75.0% gone), over the 50% guard; held",
    ]);
  });

  it("a baseline older than the previous generation's size never lowers the bar", () => {
    const all = apps(4);
    const d = diffGenerations(previousOf(...all), gen(all.slice(0, 1)), policy(50), { baseline: 2 });
    expect(d.held?.reason).toBe("generation would delete 3 of 4 Applications (75.0%), over the 50% guard; held");
  });

  it("deletes exactly the released names even though the guard would hold them, and guards the rest", () => {
    const all = apps(8);
    const released = new Set(["app2", "app3", "app4", "app5", "app6", "app7"]);
    const d = diffGenerations(previousOf(...all), gen(all.slice(0, 2)), policy(50), { baseline: 8, released });
    expect(d.deletes).toEqual([...released]);
    expect(d.held).toBeUndefined();
    // What was released no longer counts: the 2 left are the new whole, and all of them going is held.
    const more = diffGenerations(previousOf(...all), gen([]), policy(50), { baseline: 8, released });
    expect(more.deletes).toEqual([...released]);
    expect(more.held).toEqual({
      deletes: ["app0", "app1"],
      reason: "generation would delete all 2 Application(s); held by the deletion guard",
    });
  });
});

describe("diffPolicyOf", () => {
  const base = { apiVersion: "flotilla.dev/v1alpha1", kind: "ApplicationSet", metadata: { name: "x" } } as const;
  const template = {
    metadata: { name: "n" },
    spec: { source: { repoURL: "r" }, destination: { cluster: "c" } },
  };
  it("defaults to sync with a 50 % guard", () => {
    expect(diffPolicyOf({ ...base, spec: { generators: [], template } })).toEqual(defaultDiffPolicy());
  });
  it("reads a percentage string and the opt-out", () => {
    const spec = {
      generators: [],
      template,
      syncPolicy: {
        applicationsSync: "create-delete" as const,
        deletionGuard: { enabled: false, maxDeletion: "20%", window: "7d" },
      },
    };
    expect(diffPolicyOf({ ...base, spec })).toEqual({
      applicationsSync: "create-delete",
      deletionGuard: { enabled: false, maxDeletionPercent: 20, windowMs: 7 * 86_400_000 },
    });
  });
});
