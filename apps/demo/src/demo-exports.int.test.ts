import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { COMMIT_ANNOTATION } from "@flotilla/kube";
import { apiRequest, eventually } from "@flotilla/testbed";
import { afterAll, describe, expect, it } from "vitest";
import { endpointOf } from "./testing/demo-run.ts";

// The demo in watch mode, as a person runs it: the export lines it prints are pasted into another shell, and
// `flotilla status`, `flotilla token list` and kubectl then work against the running fleet; what its walkthrough
// printed is read back from the clusters themselves; Ctrl-C stops it all.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const hasKubectl = spawnSync("sh", ["-c", "command -v kubectl"]).status === 0;

describe("the demo's export lines", () => {
  let demo: ChildProcess | undefined;
  let stdout = "";
  let stderr = "";
  let exited: Promise<number | null> = Promise.resolve(null);
  afterAll(async () => {
    if (demo !== undefined && demo.exitCode === null && demo.signalCode === null) {
      demo.kill("SIGINT");
      const timer = setTimeout(() => demo?.kill("SIGKILL"), 90_000);
      await exited;
      clearTimeout(timer);
    }
  }, 120_000);

  /** The pasted lines, then one command, in a fresh shell that has none of the test's FLOTILLA_* settings. */
  const pasted = (lines: string, command: string) =>
    spawnSync("bash", ["-c", `${lines}\n${command}`], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      // A new terminal's PATH: none of the Node 24 and pnpm the set-up may have put in its cache; the lines bring them.
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", XDG_CONFIG_HOME: "/nonexistent" },
    });

  /**
   * `flotilla status` until it says all is well, for at most 30 s: the demo's two pool workers may rebalance after
   * the fleet converged (one started late takes a cluster over), and for the moment between the release and the
   * take-over that cluster is rightly reported Unserved (exit 1). The last answer is returned either way.
   */
  const statusOnceSettled = async (lines: string, command: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = pasted(lines, command);
      if (answer.status === 0 || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };

  it("work in another shell: flotilla status, cluster list, the admin token, kubectl per cluster; Ctrl-C leaves nothing", async () => {
    demo = spawn(process.execPath, ["apps/demo/src/main.ts"], {
      cwd: root,
      env: { ...process.env, FLOTILLA_DEMO_TIMEOUT_MS: "150000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const child = demo;
    // "close", not "exit": the last lines (the stop report) arrive after the process has exited.
    exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    await eventually(
      "the demo's export lines",
      () => {
        if (child.exitCode !== null) throw new Error(`the demo exited ${child.exitCode}: ${stderr}${stdout}`);
        return /export KUBECONFIG=\S+\n/.test(stdout) ? true : undefined;
      },
      300_000,
      1_000,
    );
    expect(stdout).toMatch(/the fleet converged in [\d.]+ s\./);
    const lines = stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("export "));
    expect(lines.map((l) => l.split("=")[0])).toEqual([
      "export PATH",
      "export FLOTILLA_SERVER",
      "export FLOTILLA_TOKEN",
      "export KUBECONFIG_DEV",
      "export KUBECONFIG",
    ]);
    expect(lines[3]).toMatch(/^export KUBECONFIG_DEV=\S+ KUBECONFIG_STAGING=\S+ KUBECONFIG_PROD=\S+$/);
    const script = lines.join("\n");

    const status = await statusOnceSettled(script, "flotilla status");
    expect(status.stderr).toBe("");
    expect(status.stdout).toMatch(/^9 Applications: 9 Synced, 0 OutOfSync, 0 Error; 9 Healthy,/m);
    expect(status.stdout).toMatch(/^3 clusters: 3 Connected,/m);
    expect(status.stdout).toContain("all is well");
    expect(status.status).toBe(0);
    // The README's spelling works there too: pnpm and the Node it runs on come with the lines.
    const viaPnpm = await statusOnceSettled(script, "pnpm -s flotilla status");
    expect(viaPnpm.stdout).toContain("all is well");
    expect(viaPnpm.status).toBe(0);

    const apps = pasted(script, "flotilla app list");
    expect(apps.stderr).toBe("");
    for (const [appSet, app] of [
      ["plain", "guestbook"],
      ["kustomize", "podinfo"],
      ["helm", "echo"],
    ]) {
      for (const cluster of ["dev", "staging", "prod"]) {
        expect(apps.stdout).toMatch(
          new RegExp(`^${cluster}\\s+${appSet}\\s+${app}-${cluster}\\s+Synced\\s+Healthy\\s`, "m"),
        );
      }
    }
    expect(apps.status).toBe(0);

    // The demo registered its clusters with `flotilla cluster add`: the API lists them with their labels.
    const clusters = pasted(script, "flotilla cluster list -o json");
    expect(clusters.status).toBe(0);
    const listed = JSON.parse(clusters.stdout) as unknown;
    const items = (Array.isArray(listed) ? listed : (listed as { items: unknown[] }).items) as {
      name: string;
      labels: Record<string, string>;
    }[];
    expect(items.map((c) => [c.name, c.labels.env]).sort()).toEqual([
      ["dev", "dev"],
      ["prod", "prod"],
      ["staging", "staging"],
    ]);

    const tokens = pasted(script, "flotilla token list");
    expect(tokens.stdout).toMatch(/^demo-admin\s+admin\s/m);
    expect(tokens.status).toBe(0);

    if (hasKubectl) {
      const prod = pasted(script, "kubectl --context prod get namespaces -o name");
      expect(prod.stdout).toContain("namespace/default");
      expect(prod.status).toBe(0);
      expect(pasted(script, "kubectl config current-context").stdout.trim()).toBe("dev");
      const staging = pasted(script, 'KUBECONFIG="$KUBECONFIG_STAGING" kubectl config current-context');
      expect(staging.stdout.trim()).toBe("staging");
    }

    // What the walkthrough printed happened on the clusters. Every cluster's guestbook Deployment had its spec
    // written twice by Git (created, then the new image); prod's twice more: the kubectl scale and its revert.
    const kubeconfig = (cluster: string) =>
      new RegExp(`KUBECONFIG_${cluster.toUpperCase()}=(\\S+)`).exec(lines[3] ?? "")?.[1] ?? "";
    const generations: Record<string, number> = {};
    // The roll-out: the commit the demo printed, and its image, on every cluster's Deployment.
    const commit = /^ {2}committed ([0-9a-f]{12}) "guestbook: image 1\.5\.0"/m.exec(stdout)?.[1] ?? "none";
    expect(stdout).toMatch(/^ {2}rolled out to 3 clusters in [\d.]+ s: /m);
    for (const cluster of ["dev", "staging", "prod"]) {
      const res = await apiRequest(
        endpointOf(kubeconfig(cluster)),
        "/apis/apps/v1/namespaces/guestbook/deployments/guestbook",
      );
      const deployment = JSON.parse(res.body) as {
        metadata: { annotations: Record<string, string>; generation: number };
        spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
      };
      expect([cluster, deployment.spec.template.spec.containers[0]?.image]).toEqual([
        cluster,
        "registry.example/guestbook:1.5.0",
      ]);
      expect(deployment.metadata.annotations[COMMIT_ANNOTATION]?.slice(0, 12)).toBe(commit);
      expect(deployment.spec.replicas).toBe(1);
      generations[cluster] = deployment.metadata.generation;
    }
    expect(generations).toEqual({ dev: 2, staging: 2, prod: 4 });

    const server = /^export FLOTILLA_SERVER=(\S+)$/m.exec(script)?.[1] ?? "";
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stdout.slice(-1500)).toContain("stopped; nothing left running.");
    // The API was one of the demo's processes: it is gone too.
    await expect(fetch(`${server}/healthz`)).rejects.toThrow();
    expect(stderr).toBe("");
  }, 420_000);
});
