import type { ApplicationSource } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { renderKey } from "./render-key.ts";

const commit = "a".repeat(40);
const base: ApplicationSource = { repoURL: "https://git.example/fleet.git", targetRevision: "main", path: "apps/web" };

describe("renderKey", () => {
  it("is a stable sha256 of the input", () => {
    expect(renderKey(base, commit)).toMatch(/^[0-9a-f]{64}$/);
    expect(renderKey(base, commit)).toBe(renderKey({ ...base }, commit));
  });

  it.each([
    ["targetRevision (the commit stands for it)", { ...base, targetRevision: "v1.2.3" }],
    ["path spelling", { ...base, path: "./apps//web/" }],
    ["empty settings", { ...base, helm: {}, kustomize: { images: [] }, directory: { recurse: false } }],
    ["object key order", { path: "apps/web", repoURL: "https://git.example/fleet.git" }],
  ])("ignores %s", (_what, source) => {
    expect(renderKey(source as ApplicationSource, commit)).toBe(renderKey(base, commit));
  });

  it.each([
    ["commit", base, "b".repeat(40)],
    ["path", { ...base, path: "apps/api" }, commit],
    ["repository", { ...base, repoURL: "https://git.example/other.git" }, commit],
    ["directory settings", { ...base, directory: { recurse: true } }, commit],
    ["kustomize settings", { ...base, kustomize: { namePrefix: "p-" } }, commit],
    ["helm values", { ...base, helm: { valuesObject: { replicas: 3 } } }, commit],
  ])("changes with %s", (_what, source, c) => {
    expect(renderKey(source as ApplicationSource, c)).not.toBe(renderKey(base, commit));
  });

  it("depends on release name and namespace only when given (Helm sources)", () => {
    const a = renderKey(base, commit, { releaseName: "web-dev", namespace: "web" });
    expect(a).not.toBe(renderKey(base, commit));
    expect(a).not.toBe(renderKey(base, commit, { releaseName: "web-prod", namespace: "web" }));
    expect(a).not.toBe(renderKey(base, commit, { releaseName: "web-dev", namespace: "other" }));
    expect(a).toBe(renderKey(base, commit, { releaseName: "web-dev", namespace: "web" }));
  });

  it("refuses a path leaving the repository", () => {
    expect(() => renderKey({ ...base, path: "../etc" }, commit)).toThrow('source.path "../etc" contains ".."');
  });
});
