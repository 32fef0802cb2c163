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
    expect(detectDrift(dryRun, live())).toEqual({ drifted: true, paths });
  });

  it("calls a missing live object drift", () => {
    expect(detectDrift(live(), undefined)).toEqual({ drifted: true, paths: ["(object missing)"] });
  });

  it("names at most maxPaths paths and counts the rest", () => {
    const keys = (value: string) => Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, value]));
    const dryRun = { ...live(), data: keys("new") };
    const result = detectDrift(dryRun, { ...live(), data: keys("old") }, { maxPaths: 2 });
    expect(result).toEqual({ drifted: true, paths: ["data.k0", "data.k1", "… and 3 more"] });
  });

  it("does not modify its inputs", () => {
    const a = live();
    const b = live();
    detectDrift(a, b);
    expect(a).toEqual(live());
    expect(b).toEqual(live());
  });
});
