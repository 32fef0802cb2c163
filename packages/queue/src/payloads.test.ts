import type { Application } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { InvalidJobError } from "./errors/invalid-job-error.ts";
import { parseWorkItem } from "./payloads.ts";
import { parseQueuedWork } from "./queued-work.ts";

const app: Application = {
  apiVersion: "flotilla.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "guestbook-prod" },
  spec: {
    source: { repoURL: "https://git.example/fleet.git", path: "apps/guestbook" },
    destination: { cluster: "prod" },
  },
};
const sync = {
  kind: "sync",
  job: {
    appSet: "guestbook",
    application: "guestbook-prod",
    cluster: "prod",
    desiredDigest: "abc",
    revision: "c0ffee",
    app,
  },
};
const del = {
  kind: "delete",
  job: { appSet: "guestbook", application: "guestbook-prod", cluster: "prod", preserveResources: false },
};

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidJobError);
    expect((err as Error).message).toMatch(/^job 7: invalid payload: /);
    return [...(err as InvalidJobError).problems];
  }
  throw new Error("expected an InvalidJobError");
}

describe("parseWorkItem", () => {
  it("accepts an operator's refresh flag on a sync and refuses one that is not a boolean", () => {
    const refresh = { ...sync, job: { ...sync.job, refresh: true } };
    expect(parseWorkItem(refresh, "job 7")).toEqual(refresh);
    const bad = { ...sync, job: { ...sync.job, refresh: "yes" } };
    expect(problemsOf(() => parseWorkItem(bad, "job 7")).join("\n")).toContain("refresh");
  });

  it("accepts a sync item naming a rendered or a failed source", () => {
    const commit = "a".repeat(40);
    const rendered = { ...sync, job: { ...sync.job, source: { commit, bundle: `sha256:${"b".repeat(64)}` } } };
    const failed = {
      ...sync,
      job: { ...sync.job, source: { commit, failure: { step: "render", message: "bad YAML at a.yaml:3" } } },
    };
    expect(parseWorkItem(rendered, "job 7")).toEqual(rendered);
    expect(parseWorkItem(failed, "job 7")).toEqual(failed);
  });

  it("refuses a source whose bundle is not a sha256 digest or whose commit is not a commit id", () => {
    const bad = (source: unknown) =>
      problemsOf(() => parseWorkItem({ ...sync, job: { ...sync.job, source } }, "job 7"));
    expect(bad({ commit: "a".repeat(40), bundle: "../../etc/passwd" }).join()).toMatch(/job\.source/);
    expect(bad({ commit: "main", bundle: `sha256:${"b".repeat(64)}` }).join()).toMatch(/job\.source/);
    expect(bad({ failure: { step: "apply", message: "x" } }).join()).toMatch(/job\.source/);
  });

  it("accepts well-formed sync and delete items", () => {
    expect(parseWorkItem(sync, "job 7", "prod")).toEqual(sync);
    expect(parseWorkItem(del, "job 7", "prod")).toEqual(del);
  });

  it.each<[string, unknown, RegExp]>([
    ["not an object", "sync", /expected object/i],
    ["an unknown kind", { ...sync, kind: "prune" }, /kind/],
    ["a missing desiredDigest", { kind: "sync", job: { ...sync.job, desiredDigest: undefined } }, /job\.desiredDigest/],
    ["an empty revision", { kind: "sync", job: { ...sync.job, revision: "" } }, /job\.revision/],
    ["an unknown field", { kind: "sync", job: { ...sync.job, extra: 1 } }, /extra/],
    [
      "a broken Application",
      { kind: "sync", job: { ...sync.job, app: { ...app, kind: "Deployment" } } },
      /job\.app\.kind/,
    ],
    [
      "preserveResources not a boolean",
      { kind: "delete", job: { ...del.job, preserveResources: "no" } },
      /preserveResources/,
    ],
    ["an Application named otherwise", { kind: "sync", job: { ...sync.job, application: "other" } }, /metadata\.name/],
    ["another cluster's job", { kind: "delete", job: { ...del.job, cluster: "dev" } }, /queue of cluster "prod"/],
  ])("refuses %s, naming the field", (_, data, problem) => {
    expect(problemsOf(() => parseWorkItem(data, "job 7", "prod")).join("\n")).toMatch(problem);
  });
});

describe("parseQueuedWork", () => {
  it("accepts a sequence number and an item", () => {
    expect(parseQueuedWork({ seq: 3, item: del }, "job 7")).toEqual({ seq: 3, item: del });
  });

  it.each<[string, unknown, RegExp]>([
    ["null", null, /expected an object/],
    ["a missing seq", { item: del }, /seq/],
    ["a zero seq", { seq: 0, item: del }, /seq/],
    ["an extra field", { seq: 1, item: del, more: true }, /more: unknown field/],
    ["a bad item", { seq: 1, item: { kind: "delete" } }, /job/],
  ])("refuses %s", (_, data, problem) => {
    expect(problemsOf(() => parseQueuedWork(data, "job 7")).join("\n")).toMatch(problem);
  });
});
