import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiHarness } from "@flotilla/api/testing";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { runCli } from "../testing/run-cli.ts";

/** Timestamps vary from run to run; the golden text has a fixed one in their place. */
const fixTimes = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");

describeWithClusters("flotilla cluster (process, real API, Redis and clusters)", (clusters) => {
  const api = apiHarness(testbedRedis().url);
  const [dev] = clusters;
  const as = (token: string) => ({ FLOTILLA_SERVER: api.url, FLOTILLA_TOKEN: token });
  const dir = mkdtempSync(join(tmpdir(), "flotilla-cluster-cli-"));
  const kubeconfig = join(dir, "dev.yaml");
  writeFileSync(kubeconfig, dev!.kubeconfig, { mode: 0o600 });
  const admin = () => as(api.tokens.admin);

  it("cluster add --kubeconfig registers a pool cluster and prints one line; the kubeconfig is never printed", async () => {
    const added = await runCli(["cluster", "add", "dev", "--kubeconfig", kubeconfig, "--label", "env=dev"], admin());
    expect(added.stderr).toBe("");
    expect(added.stdout).toBe(`cluster "dev" registered (pool, server ${dev!.apiUrl})\n`);
    expect(added.code).toBe(0);
    const again = await runCli(["cluster", "add", "dev", "--kubeconfig", kubeconfig], admin());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("--overwrite");
  });

  it("cluster add --agent prints the join secret as export lines, once", async () => {
    const added = await runCli(["cluster", "add", "edge-1", "--agent", "--label", "tier=edge"], admin());
    expect(added.code).toBe(0);
    const lines = added.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 2)).toEqual([
      'cluster "edge-1" registered (agent, server agent://edge-1)',
      "start its agent with:",
    ]);
    expect(lines.slice(2).map((l) => l.replace(/=.*/, ""))).toEqual([
      "export FLOTILLA_MODE",
      "export FLOTILLA_CLUSTER",
      "export FLOTILLA_REDIS_URL",
      "export FLOTILLA_REDIS_PREFIX",
      "export FLOTILLA_LABELS",
    ]);
    expect(added.stdout).toMatch(
      /export FLOTILLA_REDIS_URL=redis:\/\/[^:]+agent\.edge-1:[A-Za-z0-9_-]{43}@127\.0\.0\.1:\d+/,
    );
    expect(added.stderr).toContain("shown this once");
  });

  it("cluster list prints the golden table", async () => {
    const listed = await runCli(["cluster", "list"], as(api.tokens.read));
    expect(listed.code).toBe(0);
    const server = dev!.apiUrl;
    const pad = (s: string, n: number) => s.padEnd(n);
    const w = Math.max("SERVER".length, server.length, "agent://edge-1".length);
    const golden = [
      `NAME     MODE    ${pad("SERVER", w)}   STATE    REACHABILITY   SERVED BY   QUEUE (W/A/D/F)   APPS   LABELS`,
      `dev      pool    ${pad(server, w)}   Active   Unknown        <none>      0/0/0/0           0      env=dev`,
      `edge-1   agent   ${pad("agent://edge-1", w)}   Active   Unknown        <none>      0/0/0/0           0      tier=edge`,
      "",
    ].join("\n");
    expect(listed.stdout).toBe(golden);
    const json = await runCli(["cluster", "list", "-o", "json"], as(api.tokens.read));
    const items = JSON.parse(json.stdout) as { name: string; hasCredentials: boolean }[];
    expect(items.map((c) => [c.name, c.hasCredentials])).toEqual([
      ["dev", true],
      ["edge-1", false],
    ]);
    expect(json.stdout).not.toContain(dev!.token);
  });

  it("cluster label merges (k=v sets, k- removes) and cluster get prints the golden details", async () => {
    const labelled = await runCli(["cluster", "label", "dev", "region=eu", "tier=web"], admin());
    expect(labelled.stdout).toBe('cluster "dev" labelled: env=dev,region=eu,tier=web\n');
    const removed = await runCli(["cluster", "label", "dev", "region-"], admin());
    expect(removed.stdout).toBe('cluster "dev" labelled: env=dev,tier=web\n');
    expect(removed.code).toBe(0);
    const got = await runCli(["cluster", "get", "dev"], as(api.tokens.read));
    expect(got.code).toBe(0);
    expect(fixTimes(got.stdout)).toBe(
      [
        "Name:           dev",
        "Mode:           pool",
        `Server:         ${dev!.apiUrl}`,
        "State:          Active",
        "Reachability:   Unknown: no pool worker has contacted it yet",
        "Last heartbeat: <none>",
        "Served by:      <nobody>",
        "Queue:          0 waiting, 0 active, 0 delayed, 0 failed",
        "Applications:   0",
        "Labels:         env=dev,tier=web",
        "Annotations:    <none>",
        "Credentials:    stored (encrypted)",
        "Updated:        <time>",
        "",
      ].join("\n"),
    );
    const yaml = await runCli(["cluster", "get", "dev", "-o", "yaml"], as(api.tokens.read));
    expect(yaml.stdout).toMatch(/^name: dev\nserver: /);
    expect(yaml.stdout).toContain("labels:\n  env: dev\n  tier: web\n");
  });

  it("bad input is exit 2 naming it: a missing file, a bad label, an unknown context, neither mode", async () => {
    const missing = await runCli(["cluster", "add", "x", "--kubeconfig", join(dir, "nope.yaml")], admin());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--kubeconfig ${join(dir, "nope.yaml")}: cannot be read (ENOENT)`);
    const badLabel = await runCli(["cluster", "add", "x", "--kubeconfig", kubeconfig, "--label", "bad key=v"], admin());
    expect(badLabel.code).toBe(2);
    expect(badLabel.stderr).toContain("--label bad key=v: label key");
    const ctxUnknown = await runCli(["cluster", "add", "x", "--kubeconfig", kubeconfig, "--context", "nope"], admin());
    expect(ctxUnknown.code).toBe(2);
    expect(ctxUnknown.stderr).toContain('context "nope" is not in the kubeconfig\'s contexts');
    expect(ctxUnknown.stderr).not.toContain(dev!.token);
    const neither = await runCli(["cluster", "add", "x"], admin());
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give --kubeconfig FILE or --agent");
    const badRelabel = await runCli(["cluster", "label", "dev", "oops"], admin());
    expect(badRelabel.code).toBe(2);
    expect(badRelabel.stderr).toContain("oops: expected key=value or key-");
    expect(await api.store.clusters.get("x")).toBeUndefined();
  });

  it("a read token cannot change clusters (exit 4); an unknown cluster is exit 2; no server is exit 3", async () => {
    const denied = await runCli(["cluster", "label", "dev", "a=b"], as(api.tokens.read));
    expect(denied.code).toBe(4);
    const unknown = await runCli(["cluster", "get", "ghost"], as(api.tokens.read));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cluster "ghost" not found');
    const down = await runCli(["cluster", "list"], { FLOTILLA_SERVER: "http://127.0.0.1:9", FLOTILLA_TOKEN: "x" });
    expect(down.code).toBe(3);
  });

  it("cluster rm starts a removal (shown by get and list); rm --orphan removes at once", async () => {
    const rm = await runCli(["cluster", "rm", "dev"], admin());
    expect(rm.code).toBe(0);
    expect(rm.stdout).toBe("cluster dev has no Applications; it is removed at the generator's next cycle\n");
    const got = await runCli(["cluster", "get", "dev"], as(api.tokens.read));
    expect(fixTimes(got.stdout)).toContain("State:          Removing since <time>\n");
    expect(got.stdout).toContain("Remaining:      0 Application(s) still to delete\n");
    const listed = await runCli(["cluster", "list"], as(api.tokens.read));
    expect(listed.stdout.split("\n").find((l) => l.startsWith("dev "))).toMatch(/\sRemoving\s/);
    const orphan = await runCli(["cluster", "rm", "edge-1", "--orphan"], admin());
    expect(orphan.stdout).toBe(
      "cluster edge-1 removed; 0 Application(s) forgotten, their objects left on the cluster\n",
    );
    expect(orphan.code).toBe(0);
    expect(await api.store.clusters.get("edge-1")).toBeUndefined();
    const json = await runCli(["cluster", "rm", "dev", "-o", "json"], admin());
    expect(JSON.parse(json.stdout)).toMatchObject({ cluster: "dev", orphan: false, applications: [] });
  });
});
