import { describe, expect, it } from "vitest";
import { InvalidSyncAnnotation } from "./errors/invalid-sync-annotation.ts";
import type { KubeObject } from "./object.ts";
import { ARGOCD_SYNC_WAVE_ANNOTATION, planWaves, pruneWaves, SYNC_WAVE_ANNOTATION, waveOf } from "./waves.ts";

const obj = (kind: string, name: string, annotations?: Record<string, string>, namespace = "a"): KubeObject => ({
  apiVersion: kind === "Namespace" ? "v1" : "apps/v1",
  kind,
  metadata: {
    name,
    ...(kind === "Namespace" || kind === "CustomResourceDefinition" ? {} : { namespace }),
    ...(annotations ? { annotations } : {}),
  },
});
const wave = (n: string) => ({ [ARGOCD_SYNC_WAVE_ANNOTATION]: n });
const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe("sync waves", () => {
  it.each([
    ["no annotation", undefined, 0],
    ["Argo CD's annotation", wave("3"), 3],
    ["a negative wave", wave("-2"), -2],
    ["a leading plus and spaces", wave(" +4 "), 4],
    ["Flotilla's annotation", { [SYNC_WAVE_ANNOTATION]: "7" }, 7],
    ["Flotilla's over Argo CD's", { [SYNC_WAVE_ANNOTATION]: "1", [ARGOCD_SYNC_WAVE_ANNOTATION]: "9" }, 1],
  ])("reads %s", (_name, annotations, expected) => {
    expect(waveOf(obj("ConfigMap", "c", annotations))).toBe(expected);
  });

  it.each([
    ["a word", "first"],
    ["a fraction", "1.5"],
    ["an empty value", ""],
    ["an exponent", "1e3"],
    ["a number past the safe range", "99999999999999999999"],
    ["hex", "0x10"],
  ])("refuses %s, naming the object, the annotation and what it expects", (_name, value) => {
    const object = obj("Deployment", "web", wave(value));
    expect(() => waveOf(object)).toThrow(InvalidSyncAnnotation);
    expect(() => waveOf(object)).toThrow(
      `Deployment/a/web: annotation argocd.argoproj.io/sync-wave is ${JSON.stringify(value)}; expected an integer wave such as -1, 0 or 5`,
    );
  });

  it("names Flotilla's annotation when that is the bad one, even with a good Argo CD one", () => {
    const object = obj("ConfigMap", "c", { [SYNC_WAVE_ANNOTATION]: "x", [ARGOCD_SYNC_WAVE_ANNOTATION]: "1" });
    expect(() => waveOf(object)).toThrow(/annotation flotilla\.dev\/sync-wave is "x"/);
  });

  it("groups by wave, lowest first, in kind order inside each", () => {
    const waves = planWaves([
      obj("Deployment", "web"),
      obj("Job", "migrate", wave("-1")),
      obj("Service", "web"),
      obj("ConfigMap", "late", wave("5")),
      obj("ConfigMap", "early", wave("-1")),
    ]);
    expect(waves.map((w) => [w.wave, names(w.objects)])).toEqual([
      [-1, ["ConfigMap/early", "Job/migrate"]],
      [0, ["Service/web", "Deployment/web"]],
      [5, ["ConfigMap/late"]],
    ]);
  });

  it("puts Namespaces and CRDs first of the first wave whatever their own wave", () => {
    const waves = planWaves([
      obj("ConfigMap", "c", wave("-3")),
      obj("Namespace", "a", wave("10")),
      obj("CustomResourceDefinition", "widgets.example.com"),
      obj("Deployment", "web"),
    ]);
    expect(waves.map((w) => [w.wave, names(w.objects)])).toEqual([
      [-3, ["Namespace/a", "CustomResourceDefinition/widgets.example.com", "ConfigMap/c"]],
      [0, ["Deployment/web"]],
    ]);
  });

  it("still refuses a bad wave on a Namespace", () => {
    expect(() => planWaves([obj("Namespace", "a", wave("soon"))])).toThrow(/Namespace\/a: annotation/);
  });

  it("gives a set of only Namespaces one wave, and an empty set none", () => {
    expect(planWaves([obj("Namespace", "a", wave("2"))]).map((w) => w.wave)).toEqual([2]);
    expect(planWaves([])).toEqual([]);
  });

  it("prunes in reverse: highest wave first, kinds reversed inside, Namespaces and CRDs last", () => {
    const waves = pruneWaves([
      obj("Namespace", "a"),
      obj("ConfigMap", "early", wave("-1")),
      obj("Job", "migrate", wave("-1")),
      obj("Service", "web"),
      obj("Deployment", "web"),
      obj("ConfigMap", "late", wave("5")),
    ]);
    expect(waves.map((w) => names(w.objects))).toEqual([
      ["ConfigMap/late"],
      ["Deployment/web", "Service/web"],
      ["Job/migrate", "ConfigMap/early"],
      ["Namespace/a"],
    ]);
  });

  it("prunes a live object with an unreadable wave as wave 0 rather than keeping it", () => {
    const waves = pruneWaves([obj("ConfigMap", "odd", wave("x")), obj("ConfigMap", "late", wave("1"))]);
    expect(waves.map((w) => [w.wave, names(w.objects)])).toEqual([
      [1, ["ConfigMap/late"]],
      [0, ["ConfigMap/odd"]],
    ]);
  });
});
