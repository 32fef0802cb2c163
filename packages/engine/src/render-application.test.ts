import { type ApplicationSet, indexClusters, newParams, type Params, parseApplicationSets } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { InvalidApplicationError, renderApplication } from "./render-application.ts";

const clusters = indexClusters([{ name: "dev", server: "https://dev", labels: {}, annotations: {} }]);

function appSetOf(extra: string, patch?: string): ApplicationSet {
  const text = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: web }
spec:
  generators: [{ list: { elements: [{ cluster: dev }] } }]
  template:
    metadata: { name: "web-{{cluster}}" }
    spec:
      source: { repoURL: https://git.example/fleet.git, path: web }
      destination: { cluster: "{{cluster}}", namespace: web }
${extra}${patch === undefined ? "" : `  templatePatch: |\n${patch.replace(/^/gm, "    ")}\n`}`;
  const { appSets, issues } = parseApplicationSets(text, "web.yaml");
  expect(issues).toEqual([]);
  return appSets[0]!.appSet;
}

function params(values: Record<string, string>): Params {
  return Object.assign(newParams(), { cluster: "dev", ...values });
}

function refusal(appSet: ApplicationSet, values: Record<string, string>): InvalidApplicationError {
  try {
    renderApplication({ appSet, clusters }, params(values));
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidApplicationError);
    return err as InvalidApplicationError;
  }
  throw new Error("expected the element to be refused");
}

describe("fields known only once rendered are checked on the rendered Application", () => {
  it("a templated project that renders to something other than default fails the element", () => {
    const appSet = appSetOf('      project: "{{team}}"\n');
    expect(refusal(appSet, { team: "payments" }).field).toBe("spec.project");
    expect(renderApplication({ appSet, clusters }, params({ team: "default" })).spec.project).toBe("default");
  });

  it("a templated sync option that renders to an unsupported one fails the element", () => {
    const appSet = appSetOf('      syncPolicy: { automated: {}, syncOptions: ["{{option}}"] }\n');
    const err = refusal(appSet, { option: "Replace=true" });
    expect(err.field).toBe("spec.syncPolicy.syncOptions[0]");
    expect(err.message).toMatch(/Flotilla never replaces objects/);
  });

  it("a templated retry duration that is not a duration fails the element", () => {
    const appSet = appSetOf('      syncPolicy: { retry: { backoff: { duration: "{{wait}}" } } }\n');
    expect(refusal(appSet, { wait: "soon" }).field).toBe("spec.syncPolicy.retry.backoff.duration");
  });

  it("what templatePatch adds is checked too", () => {
    const appSet = appSetOf("", "spec:\n  syncPolicy:\n    syncOptions: [ApplyOutOfSyncOnly=true]");
    expect(refusal(appSet, {}).field).toBe("spec.syncPolicy.syncOptions[0]");
  });
});
