import { parseApplicationSets } from "@flotilla/core";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { testGeneratorConfig } from "@flotilla/generator/testing";
import { type QueuedWork, SyncQueues } from "@flotilla/queue";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiHarness } from "../testing/api-harness.ts";
import { HOSTILE_PAGE_QUERIES } from "../testing/hostile-paging.ts";

/** Every listed app on every cluster labelled env=prod, as the generator's tests write it; `extra` joins the source. */
function shop(apps: readonly string[], extra = ""): string {
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - matrix:
        generators:
          - clusters: { selector: { matchLabels: { env: prod } } }
          - list: { elements: [${apps.map((a) => `{ app: ${a} }`).join(", ")}] }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: "https://git.example/fleet.git", path: "apps/{{app}}"${extra} }
      destination: { cluster: "{{name}}", namespace: "{{app}}" }
`;
}

const APPS = ["a", "b", "c", "d"];
const post = (url: string, files: { name: string; content: string }[]) => ({
  method: "POST" as const,
  url,
  payload: { files },
});

describeWithRedis("ApplicationSet routes against a running generator (real Redis, real Git)", (info) => {
  const prefix = `t${Math.random().toString(16).slice(2, 10)}:`;
  /** The API's log lines, parsed. */
  const logLines: Record<string, unknown>[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  const api = apiHarness(info.url, { prefix, maxPreviewApplications: 40, log });
  const fleet = new TestGitRepo();
  let service: GeneratorService;
  let queues: SyncQueues;

  /** Commits the fleet and waits for the cycle that reads it. */
  async function push(files: Record<string, string>): Promise<string> {
    const commit = fleet.commit(files);
    const next = service.nextCycle();
    await api.deps.redis.publish(api.store.keys.generatorTrigger, JSON.stringify({ reason: "test" }));
    await next;
    return commit;
  }

  beforeAll(async () => {
    for (const name of ["prod-a", "prod-b"]) {
      await api.store.clusters.register({
        name,
        server: `https://${name}:6443`,
        labels: { env: "prod" },
        mode: "agent",
      });
    }
    fleet.commit({ "appsets/shop.yaml": shop(APPS) });
    service = await startGeneratorService(
      testGeneratorConfig({ fleetDir: fleet.dir, redis: { url: info.url, prefix }, render: false }),
      pino({ level: "silent" }),
    );
    await service.nextCycle();
    queues = new SyncQueues({ connection: api.deps.redis, prefix: api.store.keys.queuePrefix });
  });
  afterAll(async () => {
    await service?.stop();
    await queues?.close();
    fleet.remove();
  });

  it("no token → 401 on every route; read reads; a read token cannot release or dismiss (403)", async () => {
    const file = [{ name: "shop.yaml", content: shop(APPS) }];
    const reads = [
      { method: "GET" as const, url: "/api/v1/appsets" },
      { method: "GET" as const, url: "/api/v1/appsets/shop" },
      post("/api/v1/appsets/diff", file),
      post("/api/v1/appsets/preview", file),
    ];
    for (const route of reads) {
      expect((await api.call("none", route)).statusCode, `${route.method} ${route.url} without a token`).toBe(401);
      expect((await api.call("read", route)).statusCode, `${route.method} ${route.url} with a read token`).toBe(200);
    }
    for (const action of ["release", "dismiss"]) {
      const route = { method: "POST" as const, url: `/api/v1/appsets/shop/${action}` };
      expect((await api.call("none", route)).statusCode).toBe(401);
      const read = await api.call("read", route);
      expect(read.statusCode).toBe(403);
      expect(read.json()).toMatchObject({ error: "Forbidden" });
      // Admin passes auth; with nothing held there is nothing to decide.
      const admin = await api.call("admin", route);
      expect(admin.statusCode).toBe(404);
      expect(admin.json()).toEqual({
        error: "NotFound",
        message: 'a held deletion of ApplicationSet "shop" not found',
      });
    }
    const unknown = await api.call("admin", { method: "POST", url: "/api/v1/appsets/nope/release" });
    expect(unknown.json()).toEqual({ error: "NotFound", message: 'ApplicationSet "nope" not found' });
  });

  it("list and get: file, commit, counts, the parsed spec and the last generation", async () => {
    const commit = fleet.git("rev-parse", "HEAD").trim();
    const list = await api.call("read", { method: "GET", url: "/api/v1/appsets" });
    expect(list.json()).toEqual({
      items: [
        {
          name: "shop",
          file: "appsets/shop.yaml",
          commit,
          lastGeneration: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          counts: { applications: 8, creates: 8, updates: 0, deletes: 0, unchanged: 0, errors: 0 },
          held: 0,
          removed: false,
          frozen: false,
        },
      ],
    });
    const got = await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" });
    expect(got.statusCode).toBe(200);
    const detail = got.json() as Record<string, unknown>;
    expect(detail.spec).toEqual(parseApplicationSets(shop(APPS), "x").appSets[0]!.appSet);
    expect(detail).toMatchObject({
      name: "shop",
      specCommit: commit,
      lastGenerationRecord: { appSet: "shop", commit, errors: [], errorsTruncated: false, file: "appsets/shop.yaml" },
      dismissed: [],
    });
    expect(detail.hold).toBeUndefined();
    const missing = await api.call("read", { method: "GET", url: "/api/v1/appsets/nope" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "NotFound", message: 'ApplicationSet "nope" not found' });
  });

  it("preview: the Applications against the live registry, an element with a missing param an element error", async () => {
    const broken = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: edge }
spec:
  generators:
    - list: { elements: [ { app: web, cluster: prod-a }, { app: api } ] }
  template:
    metadata: { name: "{{app}}" }
    spec:
      source: { repoURL: "https://git.example/fleet.git", path: "apps/{{app}}" }
      destination: { cluster: "{{cluster}}", namespace: "{{app}}" }
`;
    const res = await api.call("read", post("/api/v1/appsets/preview", [{ name: "edge.yaml", content: broken }]));
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as {
      items: {
        appSet: string;
        file: string;
        line: number;
        applications: { metadata: { name: string } }[];
        errors: unknown[];
      }[];
    };
    expect(items.map((i) => [i.appSet, i.file, i.line])).toEqual([["edge", "edge.yaml", 1]]);
    expect(items[0]!.applications.map((a) => a.metadata.name)).toEqual(["web"]);
    expect(items[0]!.applications[0]).toMatchObject({
      spec: { destination: { cluster: "prod-a", namespace: "web" }, source: { path: "apps/web" } },
    });
    expect(items[0]!.errors).toEqual([
      expect.objectContaining({ appSet: "edge", element: 1, application: "api", params: "app=api" }),
    ]);
    expect(JSON.stringify(items[0]!.errors)).toContain("cluster");
    // Nothing stored.
    expect(await api.store.generations.getGeneration("edge")).toBeUndefined();
    expect(await api.store.applications.count("edge")).toBe(0);
  });

  it("preview reads Git as the generator does: a git directories generator over a repository on disk", async () => {
    const source = new TestGitRepo();
    try {
      source.commit({ "apps/web/cm.yaml": "a: 1\n", "apps/api/cm.yaml": "a: 1\n" });
      const text = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: dirs }
spec:
  generators:
    - git: { repoURL: "${source.dir}", revision: main, directories: [ { path: "apps/*" } ] }
  template:
    metadata: { name: "{{path.basename}}" }
    spec:
      source: { repoURL: "${source.dir}", path: "{{path}}" }
      destination: { cluster: prod-a, namespace: "{{path.basename}}" }
`;
      const res = await api.call("read", post("/api/v1/appsets/preview", [{ name: "dirs.yaml", content: text }]));
      expect(res.statusCode, res.body).toBe(200);
      const [item] = (res.json() as { items: { applications: { metadata: { name: string } }[]; errors: unknown[] }[] })
        .items;
      expect(item!.errors).toEqual([]);
      expect(item!.applications.map((a) => a.metadata.name).sort()).toEqual(["api", "web"]);
    } finally {
      source.remove();
    }
  });

  it("diff: creates, updates with their fields, deletes with their clusters; a shrink the guard would hold says so", async () => {
    const before = await api.store.applications.desiredDigests("shop");
    const grow = await api.call(
      "read",
      post("/api/v1/appsets/diff", [{ name: "shop.yaml", content: shop(["a", "b", "c", "e"]) }]),
    );
    expect(grow.statusCode).toBe(200);
    expect(grow.json()).toEqual({
      items: [
        {
          appSet: "shop",
          file: "shop.yaml",
          line: 1,
          stored: true,
          creates: [
            { application: "e-prod-a", cluster: "prod-a" },
            { application: "e-prod-b", cluster: "prod-b" },
          ],
          updates: [],
          deletes: [
            { application: "d-prod-a", cluster: "prod-a", held: false },
            { application: "d-prod-b", cluster: "prod-b", held: false },
          ],
          unchanged: 6,
          errors: [],
        },
      ],
    });

    const pinned = await api.call(
      "read",
      post("/api/v1/appsets/diff", [{ name: "shop.yaml", content: shop(APPS, ", targetRevision: v2") }]),
    );
    const [updated] = (pinned.json() as { items: { updates: { application: string; fields: string[] }[] }[] }).items;
    expect(updated!.updates).toHaveLength(8);
    expect(new Set(updated!.updates.map((u) => u.fields.join(",")))).toEqual(new Set(["spec.source.targetRevision"]));

    const shrink = await api.call("read", post("/api/v1/appsets/diff", [{ name: "shop.yaml", content: shop(["a"]) }]));
    const [held] = (shrink.json() as { items: Record<string, unknown>[] }).items;
    expect(held).toMatchObject({
      creates: [],
      unchanged: 2,
      held: {
        count: 6,
        reason: "generation would delete 6 of 8 Applications (75.0%), over the 50% guard; held",
      },
    });
    expect((held!.deletes as { held: boolean }[]).every((d) => d.held)).toBe(true);
    expect(held!.deletes).toHaveLength(6);
    // A dry run: the stored generation is as it was.
    expect(await api.store.applications.desiredDigests("shop")).toEqual(before);
    expect(await api.store.holds.get("shop")).toBeUndefined();
  });

  it("diff: a name another ApplicationSet owns is not a create but its element's error, naming the owner", async () => {
    const rival = shop(["a", "z"]).replace("metadata: { name: shop }", "metadata: { name: rival }");
    const res = await api.call("read", post("/api/v1/appsets/diff", [{ name: "rival.yaml", content: rival }]));
    const [item] = (
      res.json() as { items: { creates: unknown[]; errors: { application: string; message: string }[] }[] }
    ).items;
    expect(item!.creates).toEqual([
      { application: "z-prod-a", cluster: "prod-a" },
      { application: "z-prod-b", cluster: "prod-b" },
    ]);
    expect(item!.errors.map((e) => e.application)).toEqual(["a-prod-a", "a-prod-b"]);
    expect(item!.errors[0]!.message).toBe(
      'Application "a-prod-a" on cluster "prod-a" belongs to ApplicationSet "shop": one Application name on one ' +
        "cluster has one owner; give this ApplicationSet's template.metadata.name a distinct name, or remove the " +
        'Application from "shop"',
    );
  });

  describe("hostile bodies are refused with a 4xx naming the field, never a 500", () => {
    const appSetWith = (labels: string) =>
      shop(["a"]).replace("metadata: { name: shop }", `metadata:\n  name: shop\n  labels: ${labels}`);
    const cases: { what: string; body: unknown; status: number; field?: string; message?: RegExp }[] = [
      {
        what: "a YAML alias bomb",
        body: {
          files: [
            {
              name: "bomb.yaml",
              content: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
            },
          ],
        },
        status: 400,
        field: "body.files[0].content",
        message: /^bomb\.yaml:\d+:\d+: invalid YAML: .*alias/i,
      },
      {
        what: "nesting 100 levels deep",
        body: { files: [{ name: "deep.yaml", content: `${"[".repeat(100)}${"]".repeat(100)}` }] },
        status: 400,
        field: "body.files[0].content",
        message: /^deep\.yaml:1:1: nesting is deeper than 64 levels$/,
      },
      {
        what: "a file that is not YAML",
        body: {
          files: [
            { name: "ok.yaml", content: shop(["a"]) },
            { name: "junk.yaml", content: "key: [unclosed\n  - : :" },
          ],
        },
        status: 400,
        field: "body.files[1].content",
        message: /^junk\.yaml:\d+:\d+: invalid YAML/,
      },
      {
        what: "an ApplicationSet with a misspelt field",
        body: { files: [{ name: "typo.yaml", content: shop(["a"]).replace("template:", "tempalte:") }] },
        status: 400,
        field: "body.files[0].content",
        message: /typo\.yaml:10:3: spec\.tempalte: unknown field "tempalte"/,
      },
      {
        what: "the same ApplicationSet in two files",
        body: {
          files: [
            { name: "one.yaml", content: shop(["a"]) },
            { name: "two.yaml", content: shop(["b"]) },
          ],
        },
        status: 400,
        field: "body.files[1].content",
        message:
          /^two\.yaml:1:1: metadata\.name: duplicate ApplicationSet name "shop" \(first defined in one\.yaml:1\)$/,
      },
      {
        what: "a matrix over the request's limit",
        body: { files: [{ name: "big.yaml", content: shop(Array.from({ length: 30 }, (_, i) => `x${i}`)) }] },
        status: 400,
        field: "body.files",
        message: /^big\.yaml:1: ApplicationSet "shop": the request would generate more than 40 Applications/,
      },
      { what: "an unknown field", body: { files: [], extra: 1 }, status: 400, field: "body.extra" },
      { what: "no files", body: { files: [] }, status: 400, field: "body.files" },
      {
        what: "content of the wrong type",
        body: { files: [{ name: "x", content: 3 }] },
        status: 400,
        field: "body.files.0.content",
      },
      {
        what: "a file without a name",
        body: { files: [{ content: "a: 1" }] },
        status: 400,
        field: "body.files.0.name",
      },
      {
        what: "an empty file",
        body: { files: [{ name: "empty.yaml", content: "" }] },
        status: 400,
        field: "body.files",
      },
      { what: "2 MB", body: { files: [{ name: "big.yaml", content: "#".repeat(2 * 1024 * 1024) }] }, status: 413 },
    ];
    for (const route of ["diff", "preview"]) {
      it.each(cases)(`${route}: $what`, async ({ body, status, field, message }) => {
        const res = await api.call("read", {
          method: "POST",
          url: `/api/v1/appsets/${route}`,
          payload: body as object,
        });
        expect(res.statusCode, res.body).toBe(status);
        const answer = res.json() as { error: string; message: string; field?: string };
        if (field !== undefined) expect(answer.field).toBe(field);
        if (message !== undefined) expect(answer.message).toMatch(message);
      });
    }

    it("a __proto__ key in the JSON body is refused; one in the YAML stays data and pollutes nothing", async () => {
      const poisoned = await api.call("read", {
        method: "POST",
        url: "/api/v1/appsets/preview",
        headers: { "content-type": "application/json" },
        payload: '{"files":[{"name":"p.yaml","content":"a: 1"}],"__proto__":{"polluted":true}}',
      });
      expect(poisoned.statusCode).toBe(400);
      const yaml = await api.call(
        "read",
        post("/api/v1/appsets/preview", [
          { name: "p.yaml", content: appSetWith('{ "__proto__": { polluted: "yes" } }') },
        ]),
      );
      expect(yaml.statusCode).toBeLessThan(500);
      expect(yaml.statusCode).toBeGreaterThanOrEqual(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const text = await api.call("read", {
        method: "POST",
        url: "/api/v1/appsets/preview",
        headers: { "content-type": "text/plain" },
        payload: shop(["a"]),
      });
      expect(text.statusCode).toBe(415);
    });
  });

  it("a shrink the guard holds is shown; release deletes exactly it at the next cycle", async () => {
    const commit = await push({ "appsets/shop.yaml": shop(["a"]) });
    const listed = (await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json() as {
      items: { held: number; commit: string }[];
    };
    expect(listed.items[0]).toMatchObject({ held: 6, commit });
    const detail = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as {
      hold: { kind: string; applications: { application: string; cluster: string }[]; since: string; reason: string };
    };
    expect(detail.hold).toMatchObject({
      kind: "shrink",
      commit,
      reason: expect.stringContaining("over the 50% guard"),
    });
    expect(detail.hold.applications).toContainEqual({ application: "d-prod-b", cluster: "prod-b" });
    expect(detail.hold.applications).toHaveLength(6);
    await queues.queue("prod-a").drain();

    const next = service.nextCycle();
    const released = await api.call("admin", { method: "POST", url: "/api/v1/appsets/shop/release" });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({
      appSet: "shop",
      action: "release",
      kind: "shrink",
      message: "6 Application(s) will be deleted by the generator's next cycle",
    });
    expect((released.json() as { applications: unknown[] }).applications).toContainEqual({
      application: "b-prod-a",
      cluster: "prod-a",
    });
    const pending = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as {
      pendingDecision?: { action: string; applications: number };
    };
    // The cycle may already have run; if not, the decision is shown as waiting.
    if (pending.pendingDecision !== undefined)
      expect(pending.pendingDecision).toMatchObject({ action: "release", applications: 6 });
    expect(await next).toMatchObject({ deletes: 6, held: 0 });
    // Who did it, on a line that names the ApplicationSet; never the token.
    expect(logLines).toContainEqual(
      expect.objectContaining({
        appset: "shop",
        by: "test-admin",
        action: "release",
        applications: 6,
        msg: "held deletion released",
      }),
    );
    expect(JSON.stringify(logLines)).not.toContain(api.tokens.admin);
    expect([...(await api.store.applications.desiredDigests("shop")).keys()].sort()).toEqual(["a-prod-a", "a-prod-b"]);
    const deletes = (await queues.queue("prod-a").getJobs(["waiting", "prioritized"]))
      .map((j) => (j.data as QueuedWork).item)
      .filter((i) => i.kind === "delete")
      .map((i) => i.job.application)
      .sort();
    expect(deletes).toEqual(["b-prod-a", "c-prod-a", "d-prod-a"]);
    const after = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as Record<
      string,
      unknown
    >;
    expect(after.hold).toBeUndefined();
    expect(after.held).toBe(0);
  });

  it("dismiss keeps the held Applications and drops the hold; the names are listed as dismissed", async () => {
    await push({ "appsets/shop.yaml": shop(APPS) });
    expect(await api.store.applications.count("shop")).toBe(8);
    await push({ "appsets/shop.yaml": shop(["a"]) });
    expect((await api.store.holds.get("shop"))?.applications).toHaveLength(6);

    const next = service.nextCycle();
    const dismissed = await api.call("admin", { method: "POST", url: "/api/v1/appsets/shop/dismiss" });
    expect(dismissed.statusCode).toBe(200);
    expect(dismissed.json()).toMatchObject({
      action: "dismiss",
      kind: "shrink",
      message:
        "6 Application(s) will be kept by the generator's next cycle; nothing is deleted and they are not held again as they are",
    });
    await next;
    expect(await api.store.applications.count("shop")).toBe(8);
    const detail = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as Record<
      string,
      unknown
    >;
    expect(detail.hold).toBeUndefined();
    expect(detail.dismissed).toEqual(["b-prod-a", "b-prod-b", "c-prod-a", "c-prod-b", "d-prod-a", "d-prod-b"]);
  });

  it("a file that stops parsing freezes its ApplicationSet: shown as frozen with the error, the last good spec kept", async () => {
    const before = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as { spec: unknown };
    await push({ "appsets/shop.yaml": shop(APPS).replace("template:", "tempalte:") });
    const [line] = (
      (await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json() as {
        items: { frozen: boolean; removed: boolean; generatorError?: string }[];
      }
    ).items;
    expect(line).toMatchObject({ frozen: true, removed: false });
    expect(line!.generatorError).toMatch(
      /^appsets\/shop\.yaml at [0-9a-f]{12} does not parse: .*unknown field "tempalte"/,
    );
    const detail = (await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).json() as { spec: unknown };
    expect(detail.spec).toEqual(before.spec);
    expect(await api.store.applications.count("shop")).toBe(8);
  });

  it("an ApplicationSet removed from Git is shown as removed; dismissing it keeps its objects and forgets it", async () => {
    await push({});
    const [line] = (
      (await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json() as {
        items: { removed: boolean; held: number }[];
      }
    ).items;
    expect(line).toMatchObject({ removed: true, held: 8 });
    const next = service.nextCycle();
    const dismissed = await api.call("admin", { method: "POST", url: "/api/v1/appsets/shop/dismiss" });
    expect(dismissed.json()).toMatchObject({
      kind: "removed",
      message:
        "8 Application(s) will be kept on their clusters and forgotten by the generator's next cycle, with the removed ApplicationSet; nothing is deleted",
    });
    await next;
    expect((await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json()).toEqual({ items: [] });
    expect((await api.call("read", { method: "GET", url: "/api/v1/appsets/shop" })).statusCode).toBe(404);
  });

  it("lists ApplicationSets a page at a time: each once, by name, the last page without next; bad paging is a 400", async () => {
    const names = ["page-e", "page-a", "page-d", "page-b", "page-c"];
    await push(
      Object.fromEntries(
        names.map((name) => [
          `appsets/${name}.yaml`,
          shop(["a"])
            .replace("metadata: { name: shop }", `metadata: { name: ${name} }`)
            .replace("{{app}}-{{name}}", `${name}-{{name}}`),
        ]),
      ),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const url = `/api/v1/appsets?limit=2${cursor === undefined ? "" : `&cursor=${cursor}`}`;
      const res = await api.call("read", { method: "GET", url });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { name: string }[]; next?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.name));
      cursor = page.next;
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual([...names].sort());
    expect(pages).toBe(3);
    const all = (await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json() as { next?: string };
    expect(all.next).toBeUndefined();

    for (const [query, field] of HOSTILE_PAGE_QUERIES) {
      const res = await api.call("read", { method: "GET", url: `/api/v1/appsets?${query}` });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect((res.json() as { field?: string }).field, query).toBe(field);
    }
  });

  it("the OpenAPI document describes every ApplicationSet route", async () => {
    const doc = (await api.app.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/v1/appsets"))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(routes).toEqual([
      "GET /api/v1/appsets",
      "GET /api/v1/appsets/{name}",
      "GET /api/v1/appsets/{name}/rollout",
      "POST /api/v1/appsets/diff",
      "POST /api/v1/appsets/preview",
      "POST /api/v1/appsets/{name}/dismiss",
      "POST /api/v1/appsets/{name}/promote",
      "POST /api/v1/appsets/{name}/release",
      "POST /api/v1/appsets/{name}/resume",
    ]);
  });
});
