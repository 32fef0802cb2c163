// Render once, measured: 1,000 Applications (one per cluster) sharing one source input, per source kind,
// all requested at once (cold cache) and then again (warm cache). Run: node packages/render/bench/render.ts
import type { Application } from "@flotilla/core";
import { locateBinaries } from "@flotilla/testbed";
import { Renderer } from "../src/index.ts";
import { testApp } from "../src/testing/apps.ts";
import { createGitFixture } from "../src/testing/git-fixture.ts";

const APPS = 1_000;
const fx = createGitFixture();
const found = locateBinaries();
const tools = { helm: found.helm, kustomize: found.kustomize };

const cases: { kind: string; source: (i: number) => Application }[] = [
  {
    kind: "directory",
    source: (i) => testApp(`plain-c${i}`, { repoURL: fx.repoURL, path: "plain", directory: { recurse: true } }),
  },
  { kind: "kustomize", source: (i) => testApp(`kust-c${i}`, { repoURL: fx.repoURL, path: "kustomize/overlays/prod" }) },
  // A fleet pins the release name so that every cluster's Application is the same chart input.
  {
    kind: "helm",
    source: (i) => testApp(`web-c${i}`, { repoURL: fx.repoURL, path: "helm/web", helm: { releaseName: "web" } }),
  },
];

const ms = (start: number) => (performance.now() - start).toFixed(1);
try {
  for (const { kind, source } of cases) {
    const renderer = new Renderer({ reader: fx.cache, tempDir: fx.tempDir, tools });
    const apps = Array.from({ length: APPS }, (_, i) => source(i));
    let start = performance.now();
    const cold = await Promise.all(apps.map((a) => renderer.render(a, fx.commit)));
    const coldMs = ms(start);
    start = performance.now();
    for (const a of apps) await renderer.render(a, fx.commit);
    const warmMs = ms(start);
    const s = renderer.stats();
    const digests = new Set(cold.map((b) => b.digest)).size;
    console.log(
      `${kind.padEnd(9)} ${APPS} apps: cold (concurrent) ${coldMs} ms, warm (sequential) ${warmMs} ms` +
        ` (${((Number(warmMs) * 1000) / APPS).toFixed(0)} µs/app) | renders=${s.renders} joined=${s.joined}` +
        ` cacheHits=${s.cacheHits} digests=${digests} objects=${cold[0]!.manifests.length}`,
    );
  }
} finally {
  fx.cleanup();
}
