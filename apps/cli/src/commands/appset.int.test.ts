import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness } from "@flotilla/api/testing";
import { type GeneratorService, startGeneratorService } from "@flotilla/generator";
import { testGeneratorConfig } from "@flotilla/generator/testing";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../testing/run-cli.ts";

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

/** One element names a cluster nobody registered: an element error, its siblings still produced. */
const EDGE = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: edge }
spec:
  generators:
    - matrix:
        generators:
          - list: { elements: [ { name: prod-a, server: "https://prod-a:6443" }, { name: gone, server: "https://gone:6443" } ] }
          - list: { elements: [ { app: web }, { app: api } ] }
  template:
    metadata: { name: "{{app}}-{{name}}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: "apps/{{app}}" }
      destination: { server: "{{server}}", namespace: "{{app}}" }
`;

const CLUSTERS = ["prod-a", "prod-b"].map((name) => ({
  name,
  server: `https://${name}:6443`,
  labels: { env: "prod" },
}));
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

describeWithRedis("flotilla appset (process, real API, generator, Redis and Git)", (info) => {
  const prefix = `t${Math.random().toString(16).slice(2, 10)}:`;
  const api = apiHarness(info.url, { prefix });
  const fleet = new TestGitRepo();
  const dir = mkdtempSync(join(tmpdir(), "flotilla-appset-cli-"));
  let service: GeneratorService;
  const as = (who: "read" | "admin") => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: api.tokens[who] });
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  async function push(files: Record<string, string>): Promise<string> {
    const commit = fleet.commit(files);
    const next = service.nextCycle();
    await api.deps.redis.publish(api.store.keys.generatorTrigger, JSON.stringify({ reason: "test" }));
    await next;
    return commit;
  }

  beforeAll(async () => {
    for (const c of CLUSTERS) await api.store.clusters.register({ ...c, mode: "agent" });
    fleet.commit({ "appsets/shop.yaml": shop(["a", "b", "c", "d"]) });
    service = await startGeneratorService(
      testGeneratorConfig({ fleetDir: fleet.dir, redis: { url: info.url, prefix }, render: false }),
      pino({ level: "silent" }),
    );
    await service.nextCycle();
  });
  afterAll(async () => {
    await service?.stop();
    fleet.remove();
  });

  it("list: the golden table; -o json and -o yaml print the API's answer", async () => {
    const commit = fleet.git("rev-parse", "HEAD").trim();
    const table = await runCli(["appset", "list"], as("read"));
    expect(table.code).toBe(0);
    // A placeholder as wide as the time, so that the columns' padding is pinned too.
    expect(table.stdout.replace(TIME, "YYYY-MM-DDThh:mm:ss.sssZ")).toBe(
      [
        "NAME   FILE                COMMIT         APPLICATIONS   ERRORS   HELD   LAST GENERATION            STATUS",
        `shop   appsets/shop.yaml   ${commit.slice(0, 12)}   8              0        0      YYYY-MM-DDThh:mm:ss.sssZ   OK`,
        "",
      ].join("\n"),
    );
    const json = await runCli(["appset", "list", "-o", "json"], as("read"));
    const api_ = (await api.call("read", { method: "GET", url: "/api/v1/appsets" })).json() as { items: unknown[] };
    expect(JSON.parse(json.stdout)).toEqual(api_.items);
    const yaml = await runCli(["appset", "list", "-o", "yaml"], as("read"));
    expect(parse(yaml.stdout)).toEqual(api_.items);
  });

  it("get: the record, generators and policy readably; an unknown name is exit 2", async () => {
    const commit = fleet.git("rev-parse", "HEAD").trim();
    const got = await runCli(["appset", "get", "shop"], as("read"));
    expect(got.code).toBe(0);
    expect(got.stdout.replace(TIME, "<time>")).toBe(`Name:             shop
File:             appsets/shop.yaml
Commit:           ${commit}
Last generation:  <time>
Status:           OK
Applications:     8 (8 created, 0 updated, 0 deleted, 0 unchanged)
Generators (read at ${commit.slice(0, 12)}):
  - matrix:
      generators:
        - clusters:
            selector:
              matchLabels:
                env: prod
        - list:
            elements:
              - app: a
              - app: b
              - app: c
              - app: d
Sync policy:      (defaults)
Element errors:   0
Held deletions:   none
`);
    const missing = await runCli(["appset", "get", "nope"], as("read"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: ApplicationSet "nope" not found\n');
  });

  it("diff: + create, ~ update (fields), - delete per Application and cluster, a summary; exit 1 on changes, 0 without", async () => {
    const changed = file("grow.yaml", shop(["a", "b", "c", "e"], ", targetRevision: v2"));
    const r = await runCli(["appset", "diff", changed], as("read"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`ApplicationSet shop (${changed}:1)
+ create e-prod-a on prod-a
+ create e-prod-b on prod-b
~ update a-prod-a on prod-a (spec.source.targetRevision)
~ update b-prod-a on prod-a (spec.source.targetRevision)
~ update c-prod-a on prod-a (spec.source.targetRevision)
~ update a-prod-b on prod-b (spec.source.targetRevision)
~ update b-prod-b on prod-b (spec.source.targetRevision)
~ update c-prod-b on prod-b (spec.source.targetRevision)
- delete d-prod-a on prod-a
- delete d-prod-b on prod-b
shop: 2 to create, 6 to update, 2 to delete, 0 held, 0 unchanged, 0 element error(s)
`);
    const same = file("same.yaml", shop(["a", "b", "c", "d"]));
    const none = await runCli(["appset", "diff", same], as("read"));
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(
      `ApplicationSet shop (${same}:1)\nshop: 0 to create, 0 to update, 0 to delete, 0 held, 8 unchanged, 0 element error(s)\n`,
    );
    const shrink = await runCli(["appset", "diff", file("shrink.yaml", shop(["a"]))], as("read"));
    expect(shrink.code).toBe(1);
    expect(shrink.stdout).toContain("- delete b-prod-a on prod-a (held by the deletion guard)\n");
    expect(shrink.stdout).toContain(
      "held: generation would delete 6 of 8 Applications (75.0%), over the 50% guard; held\n" +
        "shop: 0 to create, 0 to update, 0 to delete, 6 held, 2 unchanged, 0 element error(s)\n",
    );
    const json = await runCli(["appset", "diff", changed, "-o", "json"], as("read"));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({
      appSet: "shop",
      creates: [{ application: "e-prod-a" }, { application: "e-prod-b" }],
    });
    // Nothing was stored by any of it.
    expect(await api.store.applications.count("shop")).toBe(8);
  });

  it("diff and preview of an invalid file: exit 2, each problem on its own line naming file:line:col and the field", async () => {
    const typo = file("typo.yaml", `${shop(["a"]).replace("template:", "tempalte:")}`);
    for (const verb of ["diff", "preview"]) {
      const r = await runCli(["appset", verb, typo], as("read"));
      expect(r.code, verb).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        `error: ${typo}:4:1: spec.template: required field is missing; expected object\n` +
          `error: ${typo}:10:3: spec.tempalte: unknown field "tempalte"\n`,
      );
      const missing = await runCli(["appset", verb, join(dir, "absent.yaml")], as("read"));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(`error: ${join(dir, "absent.yaml")}: cannot read file: no such file\n`);
    }
  });

  it("preview without --clusters asks the API and prints exactly what the offline preview prints", async () => {
    const clusters = file("clusters.yaml", JSON.stringify(CLUSTERS));
    const files = [file("edge.yaml", EDGE), file("shop.yaml", shop(["a", "b"]))];
    for (const output of ["table", "json", "yaml"]) {
      const online = await runCli(["appset", "preview", ...files, "-o", output], as("read"));
      const offline = await runCli(["appset", "preview", ...files, "--clusters", clusters, "-o", output]);
      expect(online.code, output).toBe(1);
      expect(online.stdout).toBe(offline.stdout);
      expect(online.stderr).toBe(offline.stderr);
      expect(offline.code).toBe(1);
    }
    const table = await runCli(["appset", "preview", files[0]!], as("read"));
    expect(table.stderr).toBe(
      [
        `error: ${files[0]}:1: ApplicationSet "edge": element 2 [name=gone server=https://gone:6443 app=web] (Application "web-gone"): spec.destination.server: "https://gone:6443" is not the server of any registered cluster`,
        `error: ${files[0]}:1: ApplicationSet "edge": element 3 [name=gone server=https://gone:6443 app=api] (Application "api-gone"): spec.destination.server: "https://gone:6443" is not the server of any registered cluster`,
        "",
      ].join("\n"),
    );
    const clean = await runCli(["appset", "preview", files[1]!], as("read"));
    expect(clean.code).toBe(0);
    expect(clean.stdout.split("\n").filter((l) => l.includes("-prod-")).length).toBe(4);
  });

  it("release: the hold readably in get, what will happen, exit 0; then deleted by the next cycle; again is exit 2", async () => {
    const commit = await push({ "appsets/shop.yaml": shop(["a"]) });
    const got = await runCli(["appset", "get", "shop"], as("read"));
    expect(got.stdout.replace(TIME, "<time>")).toContain(`Status:           Held
Applications:     8 (0 created, 0 updated, 0 deleted, 8 unchanged)
`);
    expect(
      got.stdout.replace(TIME, "<time>"),
    ).toContain(`Held deletions:   6 (shrink) since <time>, at ${commit.slice(0, 12)}
  Reason: generation would delete 6 of 8 Applications (75.0%), over the 50% guard; held
  APPLICATION   CLUSTER
  b-prod-a      prod-a
  b-prod-b      prod-b
  c-prod-a      prod-a
  c-prod-b      prod-b
  d-prod-a      prod-a
  d-prod-b      prod-b
  Release: flotilla appset release shop   Dismiss: flotilla appset dismiss shop
`);
    const denied = await runCli(["appset", "release", "shop"], as("read"));
    expect(denied.code).toBe(4);
    const next = service.nextCycle();
    const released = await runCli(["appset", "release", "shop"], as("admin"));
    expect(released.code).toBe(0);
    expect(released.stdout).toBe(`ApplicationSet shop: 6 Application(s) will be deleted by the generator's next cycle
APPLICATION   CLUSTER
b-prod-a      prod-a
b-prod-b      prod-b
c-prod-a      prod-a
c-prod-b      prod-b
d-prod-a      prod-a
d-prod-b      prod-b
`);
    expect(await next).toMatchObject({ deletes: 6 });
    expect(await api.store.applications.count("shop")).toBe(2);
    const again = await runCli(["appset", "release", "shop"], as("admin"));
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('error: a held deletion of ApplicationSet "shop" not found\n');
  });

  it("dismiss: the held Applications are kept; -o json is the API's answer", async () => {
    await push({ "appsets/shop.yaml": shop(["a", "b", "c", "d"]) });
    await push({ "appsets/shop.yaml": shop(["a"]) });
    const next = service.nextCycle();
    const r = await runCli(["appset", "dismiss", "shop", "-o", "json"], as("admin"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ appSet: "shop", action: "dismiss", kind: "shrink" });
    await next;
    expect(await api.store.applications.count("shop")).toBe(8);
    const got = await runCli(["appset", "get", "shop"], as("read"));
    expect(got.stdout).toContain(
      "Held deletions:   none\nDismissed:        b-prod-a, b-prod-b, c-prod-a, c-prod-b, d-prod-a, d-prod-b\n",
    );
  });

  it("exit 3 when the API does not answer", async () => {
    const r = await runCli(["appset", "list"], { FLOTILLA_SERVER: "http://127.0.0.1:9", FLOTILLA_TOKEN: "x" });
    expect(r.code).toBe(3);
    const p = await runCli(["appset", "preview", file("p.yaml", shop(["a"]))], {
      FLOTILLA_SERVER: "http://127.0.0.1:9",
      FLOTILLA_TOKEN: "x",
    });
    expect(p.code).toBe(3);
  });
});
