import type { Application, ApplicationDiff, Cluster, RepoReader } from "@flotilla/core";
import type { DeleteJob, SyncJob, SyncSource, WorkItem } from "@flotilla/queue";
import type { ClaimedName, ClaimOutcome, HoldDecision, HoldRecord } from "@flotilla/store";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { type MemoEntry, runCycle } from "./cycle.ts";
import type {
  FleetRepo,
  GenerationRecord,
  GeneratorState,
  HoldState,
  JobSink,
  OwnerState,
  SizeState,
} from "./ports.ts";
import { REMOVED_REASON } from "./remove-appset.ts";
import type { PreparedSource, SourceCycle, SourcePreparer } from "./sources.ts";
import { prodAppSet } from "./testing/fleet-repo.ts";

// In-memory stand-ins for our own seams (the real ones are tested against Git and Redis in integration tests).
class MemoryFleet implements FleetRepo {
  commits: Record<string, string>[] = [];
  down = false;
  async resolve() {
    if (this.down) throw new Error("unreachable: connection refused");
    return `c${this.commits.length - 1}`;
  }
  async listFiles(commit: string) {
    return Object.keys(this.at(commit));
  }
  async readFile(commit: string, path: string) {
    const text = this.at(commit)[path];
    if (text === undefined) throw new Error(`no file ${path}`);
    return text;
  }
  push(files: Record<string, string>) {
    this.commits.push(files);
  }
  private at(commit: string) {
    return this.commits[Number(commit.slice(1))]!;
  }
}

/** Sources by branch: each app's bundle digest is derived from the branch's commit, unless a test says otherwise. */
class FakeSources implements SourcePreparer {
  head = "a".repeat(40);
  /** What every source renders to; by default it changes with the commit. */
  output: string | undefined;
  /** Application name → what preparing it comes to instead. */
  override = new Map<string, PreparedSource>();
  prepared = 0;
  cycle(): SourceCycle {
    return {
      resolve: async () => this.head,
      prepare: async (app: Application) => {
        this.prepared++;
        const instead = this.override.get(app.metadata.name);
        if (instead) return instead;
        const bundle = `sha256:${(this.output ?? this.head).slice(0, 8).repeat(8)}`;
        return { kind: "ready", source: { commit: this.head, bundle } };
      },
    };
  }
}

class MemoryHolds implements HoldState {
  records = new Map<string, HoldRecord>();
  pending = new Map<string, HoldDecision>();
  kept = new Map<string, string[]>();
  async get(appSet: string) {
    return this.records.get(appSet);
  }
  async put(record: HoldRecord) {
    this.records.set(record.appSet, record);
  }
  async clear(appSet: string) {
    this.records.delete(appSet);
  }
  async decisions() {
    return new Map(this.pending);
  }
  async settle(appSet: string, decision: HoldDecision) {
    if (this.pending.get(appSet)?.id === decision.id) this.pending.delete(appSet);
  }
  async dismissed(appSet: string) {
    return this.kept.get(appSet) ?? [];
  }
  async setDismissed(appSet: string, names: readonly string[]) {
    if (names.length === 0) this.kept.delete(appSet);
    else this.kept.set(appSet, [...names]);
  }
  decide(appSet: string, action: HoldDecision["action"]) {
    const record = this.records.get(appSet)!;
    const applications = record.applications.map((a) => a.application);
    this.pending.set(appSet, { id: `${this.pending.size}`, action, applications, at: "" });
  }
}

class MemoryOwners implements OwnerState {
  byName = new Map<string, string>();
  async claim(appSet: string, names: readonly ClaimedName[], adoptable: readonly string[]) {
    const outcome: ClaimOutcome = { conflicts: [], adopted: [] };
    for (const n of names) {
      const key = `${n.cluster}/${n.application}`;
      const owner = this.byName.get(key);
      if (owner !== undefined && owner !== appSet && !adoptable.includes(owner)) {
        outcome.conflicts.push({ ...n, owner });
        continue;
      }
      if (owner !== undefined && owner !== appSet) outcome.adopted.push({ ...n, from: owner });
      this.byName.set(key, appSet);
    }
    return outcome;
  }
  async owners(names: readonly ClaimedName[]) {
    return names.map((n) => this.byName.get(`${n.cluster}/${n.application}`));
  }
  async release(appSet: string, names: readonly ClaimedName[]) {
    for (const n of names) {
      const key = `${n.cluster}/${n.application}`;
      if (this.byName.get(key) === appSet) this.byName.delete(key);
    }
  }
}

class MemorySizes implements SizeState {
  sizes = new Map<string, { at: number; size: number }[]>();
  async largestSince(appSet: string, since: Date) {
    return Math.max(0, ...(this.sizes.get(appSet) ?? []).filter((s) => s.at >= since.getTime()).map((s) => s.size));
  }
  async record(appSet: string, size: number, at: Date) {
    this.sizes.set(appSet, [...(this.sizes.get(appSet) ?? []), { at: at.getTime(), size }]);
  }
  async reset(appSet: string) {
    this.sizes.delete(appSet);
  }
}

class MemoryState implements GeneratorState {
  holds = new MemoryHolds();
  owners = new MemoryOwners();
  sizes = new MemorySizes();
  apps = new Map<string, Map<string, { hash: string; cluster: string }>>();
  sources = new Map<string, SyncSource>();
  records = new Map<string, GenerationRecord>();
  async appSetNames() {
    return [...new Set([...this.apps.keys(), ...this.records.keys()])];
  }
  async hashes(appSet: string) {
    return new Map([...(this.apps.get(appSet) ?? [])].map(([n, a]) => [n, a.hash]));
  }
  async destinations(appSet: string, names: readonly string[]) {
    const m = this.apps.get(appSet) ?? new Map();
    return new Map(names.filter((n) => m.has(n)).map((n) => [n, m.get(n)!.cluster]));
  }
  async lastRecord(appSet: string) {
    return this.records.get(appSet);
  }
  async commit(
    appSet: string,
    diff: ApplicationDiff,
    record: GenerationRecord,
    sources?: ReadonlyMap<string, SyncSource>,
  ) {
    for (const [name, source] of sources ?? []) this.sources.set(name, source);
    const m = this.apps.get(appSet) ?? new Map();
    for (const u of [...diff.creates, ...diff.updates]) {
      m.set(u.application.metadata.name, { hash: u.hash, cluster: u.application.spec.destination.cluster ?? "" });
    }
    for (const d of diff.deletes) m.delete(d);
    this.apps.set(appSet, m);
    this.records.set(appSet, record);
  }
  async record(record: GenerationRecord) {
    this.records.set(record.appSet, record);
  }
  async forget(appSet: string) {
    this.apps.delete(appSet);
    this.records.delete(appSet);
  }
}

class MemorySink implements JobSink {
  syncs: SyncJob[] = [];
  deletes: DeleteJob[] = [];
  async enqueue(items: readonly WorkItem[]) {
    for (const item of items) {
      if (item.kind === "sync") this.syncs.push(item.job);
      else this.deletes.push(item.job);
    }
  }
}

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};

describe("runCycle", () => {
  let fleet: MemoryFleet;
  let state: MemoryState;
  let jobs: MemorySink;
  let clusters: Cluster[];
  let memo: Map<string, MemoEntry> | undefined;
  let sources: FakeSources | undefined;
  let known: Map<string, { from: string; hash: string }> = new Map();
  const run = () =>
    runCycle(
      {
        fleet,
        repos: noGit,
        clusters: async () => clusters.map((c) => ({ ...c, labels: { ...c.labels } })),
        state,
        jobs,
        logger: pino({ level: "silent" }),
        ...(memo && { memo }),
        ...(sources && { sources, prepared: known }),
      },
      { paths: ["appsets/*.yaml"] },
    );
  const names = () => jobs.syncs.map((s) => s.application).sort();

  beforeEach(() => {
    memo = undefined;
    sources = undefined;
    fleet = new MemoryFleet();
    state = new MemoryState();
    jobs = new MemorySink();
    clusters = [
      { name: "prod-a", server: "https://a", labels: { env: "prod" }, annotations: {} },
      { name: "prod-b", server: "https://b", labels: { env: "prod" }, annotations: {} },
      { name: "dev", server: "https://d", labels: { env: "dev" }, annotations: {} },
    ];
  });

  it("a new commit that adds an app enqueues its syncs, and only those", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "README.md": "not an appset" });
    await run();
    expect(names()).toEqual(["web-prod-a", "web-prod-b"]);
    jobs.syncs = [];
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const report = await run();
    expect(names()).toEqual(["api-prod-a", "api-prod-b"]);
    expect(report).toMatchObject({ commit: "c1", appSets: 1, applications: 4, syncs: 2, deletes: 0, failed: [] });
  });

  it("an app removed from Git becomes delete jobs routed to its cluster", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api", "db"]) });
    await run();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    expect(jobs.deletes).toEqual([
      { appSet: "shop", application: "db-prod-a", cluster: "prod-a", preserveResources: false, revision: "c1" },
      { appSet: "shop", application: "db-prod-b", cluster: "prod-b", preserveResources: false, revision: "c1" },
    ]);
  });

  it("a relabelled cluster makes its apps appear and disappear", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    clusters[2]!.labels = { env: "prod" };
    await run();
    expect(names().filter((n) => n.endsWith("-dev"))).toEqual(["api-dev", "web-dev"]);
    clusters[0]!.labels = { env: "dev" };
    await run();
    expect(jobs.deletes.map((d) => d.application).sort()).toEqual(["api-prod-a", "web-prod-a"]);
  });

  it("Git unreachable: zero delete jobs, previous generation in force, the error recorded", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    fleet.down = true;
    const report = await run();
    expect(jobs.deletes).toEqual([]);
    expect(report.error).toBe("fleet repository: unreachable: connection refused");
    expect(state.apps.get("shop")?.size).toBe(2);
    expect(state.records.get("shop")?.generatorError).toBe("fleet repository: unreachable: connection refused");
  });

  it("a malformed ApplicationSet is recorded and its siblings still generate", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "appsets/blog.yaml": prodAppSet("blog", ["blog"]) });
    await run();
    jobs.syncs = [];
    fleet.push({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]).replace("template:", "tempalte:"),
      "appsets/blog.yaml": prodAppSet("blog", ["blog", "comments"]),
    });
    const report = await run();
    expect(names()).toEqual(["comments-prod-a", "comments-prod-b"]);
    expect(jobs.deletes).toEqual([]);
    expect(report.failed).toEqual(["shop"]);
    expect(state.apps.get("shop")?.size).toBe(2);
    expect(state.records.get("shop")?.generatorError).toBe(
      'appsets/shop.yaml at c1 does not parse: appsets/shop.yaml:4:1: spec.template: required field is missing; expected object; appsets/shop.yaml:10:3: spec.tempalte: unknown field "tempalte"; the previous generation stays in force',
    );
  });

  it("an ApplicationSet removed from Git is held by the deletion guard, not deleted", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    fleet.push({});
    const report = await run();
    expect(jobs.deletes).toEqual([]);
    expect(report.held).toBe(1);
    expect(state.records.get("shop")?.held?.reason).toBe(REMOVED_REASON);
    expect(state.holds.records.get("shop")).toMatchObject({
      kind: "removed",
      applications: [
        { application: "web-prod-a", cluster: "prod-a" },
        { application: "web-prod-b", cluster: "prod-b" },
      ],
    });
    // Released: exactly those deletions, then the ApplicationSet is forgotten.
    state.holds.decide("shop", "release");
    expect(await run()).toMatchObject({ deletes: 2, held: 0 });
    expect(jobs.deletes.map((d) => d.application).sort()).toEqual(["web-prod-a", "web-prod-b"]);
    expect(state.holds.records.size).toBe(0);
    expect(await state.appSetNames()).toEqual([]);
  });

  it("a shrink in steps is held at the step that crosses the threshold, and a release executes exactly it", async () => {
    const apps = ["a", "b", "c", "d"];
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", apps) });
    await run();
    const deleted = () => jobs.deletes.length;
    for (const keep of [3, 2]) {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", apps.slice(0, keep)) });
      expect(await run()).toMatchObject({ held: 0 });
    }
    expect(deleted()).toBe(4);
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", apps.slice(0, 1)) });
    expect(await run()).toMatchObject({ held: 1, deletes: 0 });
    expect(state.holds.records.get("shop")?.applications.map((a) => a.application)).toEqual(["b-prod-a", "b-prod-b"]);
    state.holds.decide("shop", "release");
    expect(await run()).toMatchObject({ held: 0, deletes: 2 });
    expect(state.holds.records.size).toBe(0);
  });

  it("a second ApplicationSet generating an owned name fails that element, naming the owner", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    jobs.syncs = [];
    fleet.push({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]),
      "appsets/copy.yaml": prodAppSet("copy", ["web", "x"]),
    });
    const report = await run();
    expect(names()).toEqual(["x-prod-a", "x-prod-b"]);
    expect(report.failed).toEqual(["copy"]);
    expect(state.records.get("copy")?.errors.map((e) => e.message)[0]).toBe(
      'Application "web-prod-a" on cluster "prod-a" belongs to ApplicationSet "shop": one Application name on one cluster has one owner; give this ApplicationSet\'s template.metadata.name a distinct name, or remove the Application from "shop"',
    );
  });

  it("a removed ApplicationSet whose names another one already owns hands them over instead of holding them", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    // As a cycle for some ApplicationSets only (or one cut short) leaves it: the new owner claimed, the old remains.
    state.owners.byName.set("prod-a/web-prod-a", "store");
    fleet.push({});
    expect(await run()).toMatchObject({ deletes: 0, held: 1 });
    expect(state.holds.records.get("shop")?.applications).toEqual([{ application: "web-prod-b", cluster: "prod-b" }]);
    expect([...state.apps.get("shop")!.keys()]).toEqual(["web-prod-b"]);
  });

  it("a renamed ApplicationSet takes its Applications over without a delete", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    jobs.syncs = [];
    fleet.push({ "appsets/store.yaml": prodAppSet("store", ["web"]) });
    const report = await run();
    expect(report).toMatchObject({ deletes: 0, held: 0 });
    expect(jobs.syncs.map((j) => [j.appSet, j.application, j.adoptFrom])).toEqual([
      ["store", "web-prod-a", "shop"],
      ["store", "web-prod-b", "shop"],
    ]);
    expect(jobs.deletes).toEqual([]);
    expect(await state.appSetNames()).toEqual(["store"]);
  });

  it("a shrink over the threshold is held, smaller ones pass", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a", "b", "c", "d"]) });
    await run();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a"]) });
    await run();
    expect(jobs.deletes).toEqual([]);
    expect(state.records.get("shop")?.held?.count).toBe(6);
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a", "b", "c"]) });
    await run();
    expect(jobs.deletes.map((d) => d.application).sort()).toEqual(["d-prod-a", "d-prod-b"]);
  });

  it("the same ApplicationSet name in two files: neither is used, the previous generation stays", async () => {
    fleet.push({ "appsets/a.yaml": prodAppSet("shop", ["web"]) });
    await run();
    jobs.syncs = [];
    fleet.push({ "appsets/a.yaml": prodAppSet("shop", ["web"]), "appsets/b.yaml": prodAppSet("shop", ["api"]) });
    const report = await run();
    expect(jobs.syncs).toEqual([]);
    expect(jobs.deletes).toEqual([]);
    expect(report.failed).toEqual(["shop"]);
    expect(state.apps.get("shop")?.size).toBe(2);
    expect(state.records.get("shop")?.generatorError).toBe(
      'ApplicationSet "shop" is defined in appsets/a.yaml and appsets/b.yaml; neither is used until one is renamed',
    );
  });

  it("skips an ApplicationSet whose inputs have not changed, and regenerates when they do", async () => {
    memo = new Map();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "appsets/blog.yaml": prodAppSet("blog", ["blog"]) });
    await run();
    jobs.syncs = [];
    fleet.push({
      "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]),
      "appsets/blog.yaml": prodAppSet("blog", ["blog"]),
    });
    expect(await run()).toMatchObject({ appSets: 1, unchanged: 1, syncs: 2 });
    expect(names()).toEqual(["api-prod-a", "api-prod-b"]);
    clusters[2]!.labels = { env: "prod" };
    expect(await run()).toMatchObject({ appSets: 2, unchanged: 0, syncs: 3 });
    expect(await run()).toMatchObject({ appSets: 0, unchanged: 2, syncs: 0 });
  });

  it("does not remember a generation that was not stored", async () => {
    memo = new Map();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const failing = state.commit.bind(state);
    state.commit = async () => {
      throw new Error("redis: connection lost");
    };
    expect(await run()).toMatchObject({ failed: ["shop"] });
    state.commit = failing;
    expect(await run()).toMatchObject({ appSets: 1, unchanged: 0, syncs: 2 });
  });

  describe("with sources prepared by the generator", () => {
    const bundleOf = (job: SyncJob) => (job.source && "bundle" in job.source ? job.source.bundle : undefined);

    beforeEach(() => {
      sources = new FakeSources();
      memo = new Map();
      known = new Map();
    });

    it("names each Application's bundle in its job and stores it beside the Application", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      expect(jobs.syncs.map(bundleOf)).toEqual([`sha256:${"a".repeat(64)}`, `sha256:${"a".repeat(64)}`]);
      expect(state.sources.get("web-prod-a")).toEqual({ commit: "a".repeat(40), bundle: `sha256:${"a".repeat(64)}` });
    });

    it("turns a new commit on a source branch into update jobs though no spec changed", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      expect(await run()).toMatchObject({ unchanged: 1, syncs: 0 });
      // The ApplicationSet regenerated (its memo dropped), but every spec and commit is known: nothing is prepared
      // again, nothing enqueued.
      memo!.clear();
      const prepared = sources!.prepared;
      expect(await run()).toMatchObject({ unchanged: 0, syncs: 0 });
      expect(sources!.prepared).toBe(prepared);
      sources!.head = "b".repeat(40);
      expect(await run()).toMatchObject({ unchanged: 0, syncs: 2 });
      expect(jobs.syncs.map((j) => j.source)).toEqual([
        { commit: "b".repeat(40), bundle: `sha256:${"b".repeat(64)}` },
        { commit: "b".repeat(40), bundle: `sha256:${"b".repeat(64)}` },
      ]);
    });

    it("re-applies nothing when a new commit leaves the rendered output as it was", async () => {
      sources!.output = "same";
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      sources!.head = "b".repeat(40);
      expect(await run()).toMatchObject({ syncs: 0 });
      sources!.output = "changed";
      sources!.head = "c".repeat(40);
      expect(await run()).toMatchObject({ syncs: 2 });
    });

    it("keeps the Application in force while its source is unavailable, and creates a new one only once it is", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      const down: PreparedSource = { kind: "transient", message: "cannot resolve HEAD: unreachable" };
      sources!.head = "b".repeat(40);
      sources!.override.set("web-prod-a", down);
      sources!.override.set("api-prod-a", down);
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
      const report = await run();
      expect(report).toMatchObject({ deletes: 0, sourcesPending: 2 });
      expect(names()).toEqual(["api-prod-b", "web-prod-b"]);
      expect([...state.apps.get("shop")!.keys()].sort()).toEqual(["api-prod-b", "web-prod-a", "web-prod-b"]);
      // Not remembered as settled: the next cycle tries again without any input changing.
      sources!.override.clear();
      jobs.syncs = [];
      expect(await run()).toMatchObject({ unchanged: 0, sourcesPending: 0, syncs: 2 });
      expect(names()).toEqual(["api-prod-a", "web-prod-a"]);
    });

    it("sends a failure only a new commit can fix once, not every cycle", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      const failure = (message: string): PreparedSource => ({
        kind: "ready",
        source: { commit: "a".repeat(40), failure: { step: "render", message } },
      });
      sources!.override.set("web-prod-a", failure("bad YAML in /tmp/render-1/a.yaml"));
      await run();
      expect(jobs.syncs.find((j) => j.application === "web-prod-a")?.source).toMatchObject({
        failure: { step: "render" },
      });
      jobs.syncs = [];
      memo!.clear();
      sources!.override.set("web-prod-a", failure("bad YAML in /tmp/render-2/a.yaml"));
      expect(await run()).toMatchObject({ syncs: 0 });
    });
  });
});
