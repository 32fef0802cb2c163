import type { Application } from "@flotilla/core";
import { GitUnreachableError, UnknownRevisionError } from "@flotilla/git";
import { type Bundle, RenderError } from "@flotilla/render";
import { describe, expect, it } from "vitest";
import { BundlePublisher } from "./bundle-publisher.ts";

const COMMIT = "c".repeat(40);

function app(name: string, repoURL: string, targetRevision = "main"): Application {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name },
    spec: { source: { repoURL, targetRevision, path: "app" }, destination: { cluster: "c" } },
  };
}

/** A repository cache and renderer whose answers each test sets, counting what is asked of them. */
function setUp(render: (app: Application) => Promise<Bundle>) {
  const calls = { resolves: [] as string[], refreshes: [] as string[], since: [] as (number | undefined)[] };
  const repos = {
    refresh: async (repoURL: string, options: { since?: number } = {}) => {
      calls.refreshes.push(repoURL);
      calls.since.push(options.since);
    },
    resolveRevision: async (repoURL: string, revision: string) => {
      calls.resolves.push(`${repoURL}@${revision}`);
      if (repoURL.includes("down")) throw new GitUnreachableError(repoURL, "connection refused");
      if (revision === "nope") throw new UnknownRevisionError(repoURL, revision);
      return COMMIT;
    },
  };
  return { publisher: new BundlePublisher(repos, { render: (a) => render(a) }), calls };
}

const rendered = async () => ({ digest: `sha256:${"d".repeat(64)}`, source: { kind: "directory" } }) as Bundle;

describe("BundlePublisher", () => {
  it("resolves each revision once per cycle and names the bundle", async () => {
    const { publisher, calls } = setUp(rendered);
    const cycle = publisher.cycle();
    const [a, b] = await Promise.all([cycle.prepare(app("a", "https://g/x")), cycle.prepare(app("b", "https://g/x"))]);
    expect(a).toEqual({ kind: "ready", source: { commit: COMMIT, bundle: `sha256:${"d".repeat(64)}` } });
    expect(b).toEqual(a);
    expect(calls.resolves).toEqual(["https://g/x@main"]);
    publisher.cycle();
    expect(publisher.watched()).toEqual([{ repoURL: "https://g/x", revision: "main" }]);
  });

  it("tells an outage (wait, keep what is in force) from a bad input (the Application's error)", async () => {
    const outcomes = await Promise.all(
      [
        app("down", "https://g/down"),
        app("nope", "https://g/x", "nope"),
        app("timeout", "https://g/x"),
        app("bad", "https://g/x"),
      ].map(async (a) => {
        const { publisher } = setUp(async (x) => {
          if (x.metadata.name === "timeout")
            throw new RenderError({ failure: "ToolTimeout", reason: "helm timed out" });
          if (x.metadata.name === "bad") throw new RenderError({ failure: "InvalidManifest", reason: "not YAML" });
          return rendered();
        });
        return publisher.cycle().prepare(a);
      }),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(["transient", "ready", "transient", "ready"]);
    expect(outcomes[1]).toMatchObject({ source: { failure: { step: "source" } } });
    expect(outcomes[3]).toEqual({
      kind: "ready",
      source: { commit: COMMIT, failure: { step: "render", message: "render failed: not YAML" } },
    });
  });

  it("renders an input once for all cycles, except Helm, whose output also depends on the release", async () => {
    let renders = 0;
    let kind = "directory";
    const { publisher } = setUp(async () => {
      renders++;
      return { digest: `sha256:${"d".repeat(64)}`, source: { kind } } as Bundle;
    });
    await publisher.cycle().prepare(app("a", "https://g/x"));
    await publisher.cycle().prepare(app("b", "https://g/x"));
    expect(renders).toBe(1);
    kind = "helm";
    await publisher.cycle().prepare(app("a", "https://g/helm"));
    await publisher.cycle().prepare(app("b", "https://g/helm"));
    expect(renders).toBe(3);
  });

  it("renders an input once for the Applications of it prepared at the same time; Helm's each, and after a transient failure each tries", async () => {
    let renders = 0;
    let answer: () => Bundle = () => ({ digest: `sha256:${"d".repeat(64)}`, source: { kind: "directory" } }) as Bundle;
    const { publisher } = setUp(async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answer();
    });
    const together = (repo: string) =>
      Promise.all(Array.from({ length: 10 }, (_, i) => publisher.cycle().prepare(app(`app-${i}`, repo))));
    const outcomes = await together("https://g/x");
    expect(renders).toBe(1);
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);

    renders = 0;
    answer = () => {
      throw new RenderError({ failure: "ToolTimeout", reason: "kustomize timed out" });
    };
    const transient = await together("https://g/slow");
    expect(transient.every((o) => o.kind === "transient")).toBe(true);
    // The first one's failure is not an answer for the others: each tried.
    expect(renders).toBe(10);

    renders = 0;
    answer = () => ({ digest: `sha256:${"e".repeat(64)}`, source: { kind: "helm" } }) as Bundle;
    await together("https://g/helm");
    // The first render says Helm: the others render their own release.
    expect(renders).toBe(10);
  });

  it("fetches a pushed repository anew in the next cycle only, once, whatever form its URL took", async () => {
    const { publisher, calls } = setUp(rendered);
    publisher.refreshNext(["git@g:org/x.git"]);
    const cycle = publisher.cycle();
    await cycle.prepare(app("a", "https://g/org/x"));
    await cycle.prepare(app("b", "https://g/org/x"));
    await cycle.prepare(app("c", "https://g/org/y"));
    await publisher.cycle().prepare(app("a", "https://g/org/x"));
    expect(calls.refreshes).toEqual(["https://g/org/x"]);
  });

  it("asks for a pushed repository's fetch since the push was announced, so the cycle's fleet fetch can answer it", async () => {
    const { publisher, calls } = setUp(rendered);
    publisher.refreshNext(["https://g/org/x"], 1234.5);
    await publisher.cycle().prepare(app("a", "https://g/org/x"));
    expect(calls.since).toEqual([1234.5]);
    // A new lease term cannot know which pushes it missed: it fetches whatever fetched before.
    publisher.refreshNext(["https://g/org/x"], 2000);
    publisher.refreshAllNext();
    await publisher.cycle().prepare(app("a", "https://g/org/x"));
    expect(calls.since).toEqual([1234.5, undefined]);
  });

  it("fetches every repository in the cycle after refreshAllNext (a new lease term), then only pushed ones", async () => {
    const { publisher, calls } = setUp(rendered);
    publisher.refreshAllNext();
    const first = publisher.cycle();
    await first.prepare(app("a", "https://g/org/x"));
    await first.prepare(app("b", "https://g/org/y"));
    await first.prepare(app("c", "https://g/org/y"));
    expect(calls.refreshes).toEqual(["https://g/org/x", "https://g/org/y"]);
    await publisher.cycle().prepare(app("a", "https://g/org/x"));
    expect(calls.refreshes).toHaveLength(2);
  });
});
