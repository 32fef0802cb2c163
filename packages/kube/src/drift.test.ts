import { describe, expect, it } from "vitest";
import { detectDrift } from "./drift.ts";
import type { KubeObject } from "./object.ts";

// What a live Deployment looks like after the server defaulted it and the controller wrote status.
function live(): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "shop",
      uid: "u-1",
      resourceVersion: "100",
      generation: 3,
      creationTimestamp: "2025-01-01T00:00:00Z",
      labels: { "flotilla.dev/application": "web" },
      annotations: { "flotilla.dev/commit": "abc", "deployment.kubernetes.io/revision": "3" },
      managedFields: [{ manager: "flotilla", operation: "Apply" }],
    },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "app",
              image: "web:1",
              imagePullPolicy: "IfNotPresent",
              terminationMessagePath: "/dev/termination-log",
            },
          ],
          restartPolicy: "Always",
        },
      },
    },
    status: { observedGeneration: 3, replicas: 2, availableReplicas: 2 },
  };
}

type Edit = (o: KubeObject) => void;
const spec = (o: KubeObject) =>
  o["spec"] as Record<string, unknown> & { template: { spec: { containers: Record<string, unknown>[] } } };

const notDrift: [string, Edit][] = [
  ["identical", () => {}],
  ["status differs", (o) => (o["status"] = { replicas: 7 })],
  ["managedFields differ", (o) => (o.metadata["managedFields"] = [])],
  [
    "resourceVersion and generation differ",
    (o) => Object.assign(o.metadata, { resourceVersion: "999", generation: 9 }),
  ],
  [
    "the controller's revision annotation differs",
    (o) => (o.metadata.annotations!["deployment.kubernetes.io/revision"] = "4"),
  ],
  // An Application moved to a new commit whose bundle it already runs keeps its objects as applied.
  ["the commit that last applied it differs", (o) => (o.metadata.annotations!["flotilla.dev/commit"] = "def")],
];

const drift: [string, Edit, string[]][] = [
  ["replicas changed", (o) => (spec(o)["replicas"] = 5), ["spec.replicas"]],
  [
    "image changed",
    (o) => (spec(o).template.spec.containers[0]!["image"] = "web:2"),
    ["spec.template.spec.containers[0].image"],
  ],
  [
    "a label changed",
    (o) => (o.metadata.labels!["flotilla.dev/application"] = "x"),
    ['metadata.labels["flotilla.dev/application"]'],
  ],
  [
    "a container added",
    (o) => spec(o).template.spec.containers.push({ name: "sidecar" }),
    ["spec.template.spec.containers"],
  ],
  ["a field removed", (o) => delete spec(o)["revisionHistoryLimit"], ["spec.revisionHistoryLimit"]],
];

describe("detectDrift (dry-run result vs live)", () => {
  it.each(notDrift)("no drift: %s", (_name, edit) => {
    const dryRun = live();
    edit(dryRun);
    expect(detectDrift(dryRun, live())).toEqual({ drifted: false, paths: [] });
  });

  it.each(drift)("drift: %s", (_name, edit, paths) => {
    const dryRun = live();
    edit(dryRun);
    const result = detectDrift(dryRun, live());
    expect(result.drifted).toBe(true);
    expect(result.paths).toEqual(paths);
    expect(result.differences?.map((d) => d.path)).toEqual(paths);
  });

  it("calls a missing live object drift", () => {
    expect(detectDrift(live(), undefined)).toEqual({ drifted: true, paths: ["(object missing)"] });
  });

  it("names at most maxPaths paths and counts the rest", () => {
    const keys = (value: string) => Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, value]));
    const dryRun = { ...live(), data: keys("new") };
    const result = detectDrift(dryRun, { ...live(), data: keys("old") }, { maxPaths: 2 });
    expect(result).toMatchObject({ drifted: true, paths: ["data.k0", "data.k1", "… and 3 more"] });
    expect(result.differences).toEqual([
      { path: "data.k0", desired: '"new"', live: '"old"' },
      { path: "data.k1", desired: '"new"', live: '"old"' },
    ]);
  });

  it("shows each differing field with its value in Git and on the cluster, absent where a side lacks it", () => {
    const dryRun = live();
    spec(dryRun)["replicas"] = 5;
    delete spec(dryRun)["revisionHistoryLimit"];
    spec(dryRun).template.spec.containers[0]!["args"] = ["--verbose"];
    expect(detectDrift(dryRun, live()).differences).toEqual([
      { path: "spec.replicas", desired: "5", live: "2" },
      { path: "spec.revisionHistoryLimit", live: "10" },
      { path: "spec.template.spec.containers[0].args", desired: '["--verbose"]' },
    ]);
  });

  it("cuts a long value and says how much was left out", () => {
    const big = "x".repeat(1000);
    const result = detectDrift(
      { ...live(), data: { blob: big } },
      { ...live(), data: { blob: "small" } },
      {
        maxValueLength: 50,
      },
    );
    const [difference] = result.differences ?? [];
    expect(difference?.desired).toBe(`"${"x".repeat(49)}… (952 more characters)`);
    expect(difference?.live).toBe('"small"');
  });

  it("never shows a Secret's values, in data or stringData, whole or by key; its other fields are shown", () => {
    const secret = (data: Record<string, unknown>, label: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "shop", labels: { tier: label } },
      ...data,
    });
    const desired = secret({ data: { password: "bmV3LXBhc3M=" }, stringData: { token: "hunter2" } }, "a");
    const onCluster = secret({ data: { password: "b2xkLXBhc3M=", extra: "ZXh0cmE=" } }, "b");
    // kubectl apply leaves the whole object, data included, in an annotation.
    onCluster.metadata.annotations = {
      "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"b2xkLXBhc3M="}}',
    };
    const result = detectDrift(desired, onCluster);
    expect(result.differences).toEqual([
      { path: "data.extra", live: "(redacted)" },
      { path: "data.password", desired: "(redacted)", live: "(redacted)" },
      { path: "metadata.annotations", live: "(redacted)" },
      { path: "metadata.labels.tier", desired: '"a"', live: '"b"' },
      { path: "stringData", desired: "(redacted)" },
    ]);
    const text = JSON.stringify(result);
    for (const secretValue of ["bmV3LXBhc3M=", "b2xkLXBhc3M=", "ZXh0cmE=", "hunter2"]) {
      expect(text).not.toContain(secretValue);
    }
  });

  it("does not modify its inputs", () => {
    const a = live();
    const b = live();
    detectDrift(a, b);
    expect(a).toEqual(live());
    expect(b).toEqual(live());
  });
});
