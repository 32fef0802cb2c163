import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateBinaries, MissingBinariesError, pinnedVersions, requireBinaries } from "./binaries.ts";

describe("locateBinaries", () => {
  const versions = pinnedVersions();

  it("defaults to setup.sh's cache, keyed by the pinned versions", () => {
    const bins = locateBinaries({ FLOTILLA_CACHE: "/cache" });
    expect(bins.kubeApiServer).toBe(`/cache/bin/kubernetes-${versions["KUBERNETES_VERSION"]}/kube-apiserver`);
    expect(bins.etcd).toBe(`/cache/bin/etcd-${versions["ETCD_VERSION"]}/etcd`);
    expect(bins.kwokStages).toBe(`/cache/bin/kwok-${versions["KWOK_VERSION"]}/stages.yaml`);
    expect(bins.helm).toBe(`/cache/bin/helm-${versions["HELM_VERSION"]}/helm`);
  });

  it("prefers what KUBEBUILDER_ASSETS holds, and an explicit variable over both", () => {
    const assets = mkdtempSync(join(tmpdir(), "assets-"));
    writeFileSync(join(assets, "kube-apiserver"), "", { mode: 0o755 });
    writeFileSync(join(assets, "etcd"), "", { mode: 0o755 });
    const bins = locateBinaries({ FLOTILLA_CACHE: "/cache", KUBEBUILDER_ASSETS: assets, FLOTILLA_ETCD: "/my/etcd" });
    expect(bins.kubeApiServer).toBe(join(assets, "kube-apiserver"));
    expect(bins.etcd).toBe("/my/etcd");
    // envtest's folder has no controller-manager: that one still comes from the cache.
    expect(bins.kubeControllerManager).toContain("/cache/bin/kubernetes-");
  });

  it("names every missing binary", () => {
    const bins = locateBinaries({ FLOTILLA_CACHE: "/nonexistent" });
    const error = (() => {
      try {
        requireBinaries(bins, ["kubeApiServer", "kwokStages"]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MissingBinariesError);
    expect((error as MissingBinariesError).missing.map((m) => m.name)).toEqual(["kubeApiServer", "kwokStages"]);
  });
});
