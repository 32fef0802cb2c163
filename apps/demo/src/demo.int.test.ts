import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually } from "@flotilla/testbed";
import { afterAll, describe, expect, it } from "vitest";
import { accepts, DemoRun, endpointOf, isAlive } from "./testing/demo-run.ts";

// The README's demo, end to end: its own three clusters and Redis, the API, the generator and two workers as
// processes, a real fleet repository; it must converge, walk through drift and a commit, and leave nothing running.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const CLUSTERS = ["dev", "staging", "prod"];

/** No process the demo started is alive, and the clusters' own folder (certificates, etcd data, logs) is gone. */
function expectNothingLeft(run: DemoRun): void {
  expect([...run.seenProcesses].filter(isAlive)).toEqual([]);
  expect(run.seenTestbedDirs.size).toBeGreaterThan(0);
  expect([...run.seenTestbedDirs].filter((d) => existsSync(d))).toEqual([]);
}

describe("the local fleet demo", () => {
  const runs: DemoRun[] = [];
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.interrupt()));
  }, 120_000);

  it("--once: converges plain YAML, Kustomize and Helm Applications on every cluster, walks through, stops", async () => {
    const run = new DemoRun({ root, args: ["--once"], env: { FLOTILLA_DEMO_TIMEOUT_MS: "120000" } });
    runs.push(run);
    const code = await run.closed;
    const out = run.stdout;
    expect(run.stderr).toBe("");
    expect(out).toMatch(/the fleet converged in [\d.]+ s\./);
    expect(out).toMatch(/^ {2}plain +apps\/\* +plain YAML/m);
    expect(out).toMatch(/^ {2}kustomize +kustomize\/\*\/overlays\/ENV +Kustomize/m);
    expect(out).toMatch(/^ {2}helm +charts\/\* +a local Helm chart/m);
    for (const app of ["guestbook", "podinfo", "echo"]) {
      for (const cluster of CLUSTERS) {
        expect(out).toMatch(new RegExp(`${app}-${cluster}\\s+│ ${cluster}\\s+│ Synced\\s+│ Healthy`));
      }
    }
    // One bundle for guestbook, one per overlay, one per values file: 7 renders for 9 Applications.
    expect(out).toContain("9 Applications applied from 7 rendered bundles");
    expect(out).toMatch(
      /^ {2}prod: kubectl scale deployment\/guestbook -n guestbook --replicas=3 \(Git says 1; field manager kubectl-scale\)$/m,
    );
    expect(out).toMatch(/^ {2}reverted in \d+ ms: prod's deployment\/guestbook is back to 1 replica$/m);
    expect(out).toMatch(
      /^ {2}committed [0-9a-f]{12} "guestbook: image 1\.5\.0" \(apps\/guestbook\/guestbook\.yaml\);/m,
    );
    expect(out).toMatch(
      /^ {2}rolled out to 3 clusters in [\d.]+ s: dev, staging, prod run registry\.example\/guestbook:1\.5\.0, Synced and Healthy at [0-9a-f]{12}$/m,
    );
    // In this order: the walkthrough comes after convergence and before the stop.
    const order = [
      "the fleet converged",
      "reverted in",
      "rolled out to",
      "dashboard: ",
      "stopped; nothing left running.",
    ];
    const at = order.map((line) => out.indexOf(line));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The API serves the built dashboard at `/` (the set-up builds it): the line says where.
    expect(out).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(out).not.toContain("export FLOTILLA_SERVER");
    expect(code).toBe(0);
  }, 320_000);

  it("Ctrl-C in the middle of the walkthrough stops everything: no process, container, port or temp dir left", async () => {
    const run = new DemoRun({ root, env: { FLOTILLA_DEMO_TIMEOUT_MS: "150000" } });
    runs.push(run);
    const work = (await run.printed(/kubeconfigs in (\S+)\)\n/, 300_000))[1] ?? "";
    const endpoints = CLUSTERS.map((c) => endpointOf(join(work, `${c}.kubeconfig`)));
    await run.printed(/^walkthrough 1\/2: /m, 300_000);
    const api = /started the API at (\S+);/.exec(run.stdout)?.[1] ?? "";
    const redis = new URL(/Redis at (\S+)/.exec(run.stdout)?.[1] ?? "");
    expect(run.seenProcesses.size).toBeGreaterThan(CLUSTERS.length * 3);
    expect(await accepts(redis.hostname, Number(redis.port))).toBe(true);

    expect(await run.interrupt()).toBe(130);
    expect(run.stdout.trimEnd().endsWith("stopped; nothing left running.")).toBe(true);
    // The walkthrough stopped where it was: nothing about it is reported after the stop began.
    expect(run.stdout.slice(run.stdout.indexOf("\nstopping:"))).not.toMatch(/reverted in|rolled out to/);
    expect(run.stderr).toBe("");
    expectNothingLeft(run);
    expect(existsSync(work)).toBe(false);
    await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    expect(await accepts(redis.hostname, Number(redis.port))).toBe(false);
    for (const endpoint of endpoints) {
      const server = new URL(endpoint.apiUrl);
      expect(await accepts(server.hostname, Number(server.port))).toBe(false);
    }
  }, 420_000);

  it("Ctrl-C while the clusters are still starting waits for them, then stops them: nothing left", async () => {
    const run = new DemoRun({ root });
    runs.push(run);
    await run.printed(/^starting 3 local Kubernetes clusters/m, 60_000);
    // Let the bed get going (etcd, API servers being spawned), so that there is something half-started to stop.
    await eventually("the clusters' processes", () => (run.seenProcesses.size >= 2 ? true : undefined), 60_000, 100);
    expect(await run.interrupt()).toBe(130);
    expect(run.stdout.trimEnd().endsWith("stopped; nothing left running.")).toBe(true);
    expect(run.stdout).not.toContain("started the API");
    expect(run.stderr).toBe("");
    expectNothingLeft(run);
  }, 180_000);
});
