import { describe, expect, it } from "vitest";
import {
  APPLICATION_LABEL,
  APPSET_LABEL,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  COMMIT_ANNOTATION,
  isOwnedBy,
  PRESERVE_ANNOTATION,
  PRUNE_ANNOTATION,
  prunePolicyOf,
  stampOwnership,
} from "./labels.ts";
import type { KubeObject } from "./object.ts";

const cm = (labels?: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
});

describe("stampOwnership", () => {
  it("adds the application and appset labels and the commit annotation, keeping the manifest's own", () => {
    const input = cm({ team: "a" }, { note: "x" });
    const stamped = stampOwnership(input, { application: "web-dev", appSet: "web", commit: "abc" });
    expect(stamped.metadata.labels).toEqual({ team: "a", [APPLICATION_LABEL]: "web-dev", [APPSET_LABEL]: "web" });
    expect(stamped.metadata.annotations).toEqual({ note: "x", [COMMIT_ANNOTATION]: "abc" });
    expect(input.metadata.labels).toEqual({ team: "a" });
  });

  it("omits the appset label for an Application without an ApplicationSet", () => {
    const stamped = stampOwnership(cm(), { application: "solo", commit: "abc" });
    expect(stamped.metadata.labels).toEqual({ [APPLICATION_LABEL]: "solo" });
  });

  it("overrides a manifest that claims another owner", () => {
    const stamped = stampOwnership(cm({ [APPLICATION_LABEL]: "impostor" }), { application: "real", commit: "c" });
    expect(stamped.metadata.labels?.[APPLICATION_LABEL]).toBe("real");
  });
});

describe("isOwnedBy", () => {
  it.each([
    [cm({ [APPLICATION_LABEL]: "web" }), "web", true],
    [cm({ [APPLICATION_LABEL]: "web" }), "other", false],
    [cm(), "web", false],
    [cm({ [APPLICATION_LABEL]: "" }), "", true],
  ])("%#", (object, application, owned) => {
    expect(isOwnedBy(object, application)).toBe(owned);
  });

  const both = (appSet: string) => cm({ [APPLICATION_LABEL]: "web-dev", [APPSET_LABEL]: appSet });
  it.each([
    [both("shop"), ["shop"], true],
    [both("blog"), ["shop"], false],
    [both("shop"), ["store", "shop"], true],
    [cm({ [APPLICATION_LABEL]: "web-dev" }), ["shop"], true],
    [both("blog"), [], true],
  ])("with ApplicationSets %#", (object, appSets, owned) => {
    expect(isOwnedBy(object, "web-dev", appSets)).toBe(owned);
  });
});

describe("prunePolicyOf", () => {
  it.each([
    [undefined, "prune"],
    [{ [PRUNE_ANNOTATION]: "disabled" }, "preserve"],
    [{ [PRUNE_ANNOTATION]: "Disabled" }, "preserve"],
    [{ [PRUNE_ANNOTATION]: "enabled" }, "prune"],
    [{ [PRESERVE_ANNOTATION]: "true" }, "preserve"],
    [{ [PRESERVE_ANNOTATION]: "" }, "preserve"],
    [{ [PRESERVE_ANNOTATION]: "false" }, "prune"],
    [{ [ARGOCD_SYNC_OPTIONS_ANNOTATION]: "Prune=false" }, "preserve"],
    [{ [ARGOCD_SYNC_OPTIONS_ANNOTATION]: "ServerSideApply=true, Prune=false" }, "preserve"],
    [{ [ARGOCD_SYNC_OPTIONS_ANNOTATION]: "Prune=true" }, "prune"],
  ])("%j → %s", (annotations, policy) => {
    expect(prunePolicyOf(cm(undefined, annotations))).toBe(policy);
  });
});
