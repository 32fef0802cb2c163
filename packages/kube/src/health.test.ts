import { describe, expect, it } from "vitest";
import {
  aggregateHealth,
  assessHealth,
  type HealthStatus,
  podSelectorOf,
  unreadyPodsDetail,
  wantsPodDetail,
  withPodDetail,
} from "./health.ts";
import type { KubeObject } from "./object.ts";

type Fixture = {
  apiVersion: string;
  kind: string;
  generation?: number;
  spec?: unknown;
  status?: unknown;
  deleting?: boolean;
};

function object({ apiVersion, kind, generation = 1, spec, status, deleting }: Fixture): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: "x", generation, ...(deleting ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}) },
    ...(spec === undefined ? {} : { spec }),
    ...(status === undefined ? {} : { status }),
  };
}

const cond = (type: string, status: string, reason?: string, message?: string) => ({ type, status, reason, message });
const deploy = (spec: unknown, status: unknown, generation = 1) =>
  object({ apiVersion: "apps/v1", kind: "Deployment", spec, status, generation });

const cases: { name: string; object: KubeObject | undefined; status: HealthStatus; message?: string | RegExp }[] = [
  { name: "absent object", object: undefined, status: "Missing" },
  {
    name: "object being deleted",
    object: object({ apiVersion: "v1", kind: "ConfigMap", deleting: true }),
    status: "Progressing",
    message: "being deleted",
  },
  {
    name: "generation not yet observed",
    object: deploy(
      { replicas: 1 },
      { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      2,
    ),
    status: "Progressing",
    message: "generation 2 not yet observed (observed 1)",
  },
  // Deployment
  {
    name: "Deployment fully available",
    object: deploy(
      { replicas: 3 },
      {
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        conditions: [cond("Available", "True")],
      },
    ),
    status: "Healthy",
    message: "3 of 3 replicas available",
  },
  {
    name: "Deployment with default replicas and no status yet",
    object: deploy({}, undefined),
    status: "Progressing",
    message: "0 of 1 replicas updated",
  },
  {
    name: "Deployment scaled to zero",
    object: deploy({ replicas: 0 }, { observedGeneration: 1 }),
    status: "Healthy",
  },
  {
    name: "Deployment rolling out",
    object: deploy({ replicas: 3 }, { observedGeneration: 1, replicas: 4, updatedReplicas: 2, availableReplicas: 3 }),
    status: "Progressing",
    message: "2 of 3 replicas updated",
  },
  {
    name: "Deployment with old replicas terminating",
    object: deploy({ replicas: 3 }, { observedGeneration: 1, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
    status: "Progressing",
    message: "1 old replicas pending termination",
  },
  {
    name: "Deployment updated but not yet available",
    object: deploy({ replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
    status: "Progressing",
    message: "1 of 2 replicas available",
  },
  {
    name: "Deployment past its progress deadline",
    object: deploy(
      { replicas: 2 },
      {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        availableReplicas: 0,
        conditions: [
          cond("Progressing", "False", "ProgressDeadlineExceeded", 'ReplicaSet "web-1" has timed out progressing.'),
        ],
      },
    ),
    status: "Degraded",
    message: 'progress deadline exceeded: ReplicaSet "web-1" has timed out progressing.',
  },
  {
    name: "Deployment with a replica failure (quota)",
    object: deploy(
      { replicas: 1 },
      { observedGeneration: 1, conditions: [cond("ReplicaFailure", "True", "FailedCreate", "quota")] },
    ),
    status: "Degraded",
    message: "replica failure: FailedCreate: quota",
  },
  // StatefulSet
  ...(() => {
    const sts = (spec: unknown, status: unknown) =>
      object({ apiVersion: "apps/v1", kind: "StatefulSet", spec, status });
    return [
      {
        name: "StatefulSet ready at one revision",
        object: sts(
          { replicas: 2 },
          {
            observedGeneration: 1,
            replicas: 2,
            readyReplicas: 2,
            updatedReplicas: 2,
            currentRevision: "r1",
            updateRevision: "r1",
          },
        ),
        status: "Healthy" as const,
      },
      {
        name: "StatefulSet mid rolling update",
        object: sts(
          { replicas: 2 },
          {
            observedGeneration: 1,
            replicas: 2,
            readyReplicas: 2,
            updatedReplicas: 1,
            currentRevision: "r1",
            updateRevision: "r2",
          },
        ),
        status: "Progressing" as const,
        message: "rolling update in progress: 1 of 2 replicas at r2",
      },
      {
        name: "StatefulSet with too few ready replicas",
        object: sts({ replicas: 3 }, { observedGeneration: 1, replicas: 3, readyReplicas: 1 }),
        status: "Progressing" as const,
        message: "1 of 3 replicas ready",
      },
      {
        name: "StatefulSet partitioned roll out done",
        object: sts(
          { replicas: 4, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } },
          {
            observedGeneration: 1,
            replicas: 4,
            readyReplicas: 4,
            updatedReplicas: 2,
            currentRevision: "r1",
            updateRevision: "r2",
          },
        ),
        status: "Healthy" as const,
      },
      {
        name: "StatefulSet with OnDelete ignores revisions",
        object: sts(
          { replicas: 1, updateStrategy: { type: "OnDelete" } },
          { observedGeneration: 1, replicas: 1, readyReplicas: 1, currentRevision: "r1", updateRevision: "r2" },
        ),
        status: "Healthy" as const,
      },
    ];
  })(),
  // DaemonSet
  ...(() => {
    const ds = (status: unknown) => object({ apiVersion: "apps/v1", kind: "DaemonSet", status });
    return [
      {
        name: "DaemonSet everywhere",
        object: ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
        status: "Healthy" as const,
      },
      {
        name: "DaemonSet with unavailable pods",
        object: ds({
          observedGeneration: 1,
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 3,
          numberAvailable: 2,
          numberUnavailable: 1,
        }),
        status: "Progressing" as const,
        message: "2 of 3 pods available",
      },
      {
        name: "DaemonSet updating",
        object: ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }),
        status: "Progressing" as const,
      },
      {
        name: "DaemonSet without status",
        object: ds(undefined),
        status: "Progressing" as const,
        message: "not yet scheduled",
      },
    ];
  })(),
  // Job
  ...(() => {
    const job = (status: unknown) => object({ apiVersion: "batch/v1", kind: "Job", status });
    return [
      { name: "Job complete", object: job({ conditions: [cond("Complete", "True")] }), status: "Healthy" as const },
      {
        name: "Job failed",
        object: job({
          conditions: [cond("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")],
        }),
        status: "Degraded" as const,
        message: "job failed: BackoffLimitExceeded: Job has reached the specified backoff limit",
      },
      {
        name: "Job running",
        object: job({ active: 1 }),
        status: "Progressing" as const,
        message: "job running: 1 active, 0 succeeded",
      },
    ];
  })(),
  // PVC
  ...(["Bound", "Pending", "Lost", "Weird"] as const).map((phase) => ({
    name: `PVC ${phase}`,
    object: object({ apiVersion: "v1", kind: "PersistentVolumeClaim", status: { phase } }),
    status: ({ Bound: "Healthy", Pending: "Progressing", Lost: "Degraded", Weird: "Unknown" } as const)[phase],
  })),
  // Service
  {
    name: "ClusterIP Service",
    object: object({ apiVersion: "v1", kind: "Service", spec: { type: "ClusterIP" } }),
    status: "Healthy",
  },
  {
    name: "LoadBalancer Service waiting for an address",
    object: object({ apiVersion: "v1", kind: "Service", spec: { type: "LoadBalancer" }, status: { loadBalancer: {} } }),
    status: "Progressing",
  },
  {
    name: "LoadBalancer Service with an ingress",
    object: object({
      apiVersion: "v1",
      kind: "Service",
      spec: { type: "LoadBalancer" },
      status: { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } },
    }),
    status: "Healthy",
  },
  // Generic conditions
  ...(() => {
    const cr = (status: unknown) => object({ apiVersion: "example.com/v1", kind: "Widget", status });
    return [
      { name: "custom resource without status", object: cr(undefined), status: "Healthy" as const, message: "exists" },
      { name: "Ready=True", object: cr({ conditions: [cond("Ready", "True")] }), status: "Healthy" as const },
      {
        name: "Ready=False while reconciling",
        object: cr({ conditions: [cond("Ready", "False", "Progressing")] }),
        status: "Progressing" as const,
      },
      {
        name: "Ready=False with a failure reason",
        object: cr({ conditions: [cond("Ready", "False", "InstallFailed", "chart broke")] }),
        status: "Degraded" as const,
        message: "not ready: InstallFailed: chart broke",
      },
      { name: "Available=True", object: cr({ conditions: [cond("Available", "True")] }), status: "Healthy" as const },
      {
        name: "Stalled=True",
        object: cr({ conditions: [cond("Stalled", "True", "Bad")] }),
        status: "Degraded" as const,
      },
      {
        name: "Reconciling=True wins over Ready",
        object: cr({ conditions: [cond("Reconciling", "True"), cond("Ready", "True")] }),
        status: "Progressing" as const,
      },
      { name: "conditions that are not a list", object: cr({ conditions: "yes" }), status: "Unknown" as const },
      { name: "ConfigMap", object: object({ apiVersion: "v1", kind: "ConfigMap" }), status: "Healthy" as const },
    ];
  })(),
];

describe("assessHealth", () => {
  it.each(cases)("$name → $status", ({ object: input, status, message }) => {
    const verdict = assessHealth(input);
    expect(verdict.status).toBe(status);
    if (message !== undefined) expect(verdict.message).toMatch(message);
  });
});

describe("aggregateHealth", () => {
  const v = (subject: string, status: HealthStatus, message = status.toLowerCase()) => ({
    subject,
    verdict: { status, message },
  });
  it.each([
    { name: "empty", input: [], status: "Healthy", message: "no objects" },
    {
      name: "all healthy",
      input: [v("a", "Healthy"), v("b", "Healthy")],
      status: "Healthy",
      message: "2 objects healthy",
    },
    {
      name: "one progressing",
      input: [v("a", "Healthy"), v("b", "Progressing", "rolling")],
      status: "Progressing",
      message: "b: rolling",
    },
    {
      name: "degraded beats missing and progressing",
      input: [v("a", "Missing"), v("b", "Degraded", "boom"), v("c", "Degraded"), v("d", "Progressing")],
      status: "Degraded",
      message: "b: boom (and 1 more)",
    },
    {
      name: "missing beats unknown",
      input: [v("a", "Unknown"), v("b", "Missing", "gone")],
      status: "Missing",
      message: "b: gone",
    },
  ])("$name", ({ input, status, message }) => {
    expect(aggregateHealth(input)).toEqual({ status, message });
  });
});

describe("pod detail for a Deployment that is not available", () => {
  const pod = (name: string, status: unknown, extra: Record<string, unknown> = {}) => ({
    metadata: { name, ...extra },
    status,
  });
  const waiting = (reason: string, name = "app") => ({ name, ready: false, state: { waiting: { reason } } });
  const running = (name = "app", ready = true) => ({ name, ready, state: { running: {} } });
  const notReady = "containers with unready status: [app]";

  it("is wanted only for Deployments that are Progressing or Degraded and not being deleted", () => {
    const d = deploy({ replicas: 1 }, {});
    expect(wantsPodDetail(d, { status: "Degraded", message: "" })).toBe(true);
    expect(wantsPodDetail(d, { status: "Progressing", message: "" })).toBe(true);
    expect(wantsPodDetail(d, { status: "Healthy", message: "" })).toBe(false);
    expect(wantsPodDetail(d, { status: "Unknown", message: "" })).toBe(false);
    const deleting = { ...d, metadata: { ...d.metadata, deletionTimestamp: "2025-01-01T00:00:00Z" } };
    expect(wantsPodDetail(deleting, { status: "Progressing", message: "" })).toBe(false);
    const sts = object({ apiVersion: "apps/v1", kind: "StatefulSet" });
    expect(wantsPodDetail(sts, { status: "Progressing", message: "" })).toBe(false);
    const job = object({ apiVersion: "batch/v1", kind: "Job" });
    expect(wantsPodDetail(job, { status: "Degraded", message: "" })).toBe(true);
    expect(wantsPodDetail(job, { status: "Progressing", message: "" })).toBe(false);
  });

  it.each([
    { name: "matchLabels", selector: { matchLabels: { app: "web", tier: "front" } }, query: "app=web,tier=front" },
    {
      name: "matchExpressions",
      selector: {
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "env", operator: "In", values: ["dev", "prod"] },
          { key: "canary", operator: "NotIn", values: ["true"] },
          { key: "team", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      },
      query: "app=web,env in (dev,prod),canary notin (true),team,!legacy",
    },
    { name: "empty selector (would select the whole namespace)", selector: {}, query: undefined },
    { name: "no selector", selector: undefined, query: undefined },
    {
      name: "unknown operator",
      selector: { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
      query: undefined,
    },
  ])("selects the Pods by $name", ({ selector, query }) => {
    expect(podSelectorOf(deploy(selector === undefined ? {} : { selector }, {}))).toBe(query);
  });

  it.each([
    { name: "no Pods", pods: [], detail: undefined },
    {
      name: "all Pods ready",
      pods: [pod("web-a", { phase: "Running", conditions: [cond("Ready", "True")], containerStatuses: [running()] })],
      detail: undefined,
    },
    {
      name: "an image that cannot be pulled",
      pods: [
        pod("web-a", {
          phase: "Pending",
          conditions: [cond("Ready", "False", "ContainersNotReady", notReady)],
          containerStatuses: [waiting("ImagePullBackOff")],
        }),
      ],
      detail: "pod web-a: ImagePullBackOff",
    },
    {
      name: "a failing readiness probe",
      pods: [
        pod("web-a", {
          phase: "Running",
          conditions: [cond("Ready", "False", "ContainersNotReady", notReady)],
          containerStatuses: [running("app", false)],
        }),
      ],
      detail: `pod web-a: ${notReady}`,
    },
    {
      name: "an unschedulable Pod",
      pods: [
        pod("web-a", {
          phase: "Pending",
          conditions: [cond("PodScheduled", "False", "Unschedulable", "0/1 nodes are available")],
        }),
      ],
      detail: "pod web-a: Unschedulable: 0/1 nodes are available",
    },
    {
      name: "a Pod nobody has looked at yet",
      pods: [pod("web-a", { phase: "Pending" })],
      detail: "pod web-a: Pending, not ready",
    },
    {
      name: "a container's reason before a Pod's condition, then by name, counting the rest",
      pods: [
        pod("web-a", { phase: "Running", conditions: [cond("Ready", "False", "ContainersNotReady", notReady)] }),
        pod("web-c", { phase: "Running", containerStatuses: [running("sidecar"), waiting("CrashLoopBackOff")] }),
        pod("web-b", { phase: "Pending", containerStatuses: [waiting("ErrImagePull")] }),
        pod("web-d", { phase: "Running", conditions: [cond("Ready", "True")] }),
      ],
      detail: "pod web-b: ErrImagePull (and 2 more)",
    },
    {
      name: "names the container when there are several",
      pods: [pod("web-c", { phase: "Running", containerStatuses: [running("sidecar"), waiting("CrashLoopBackOff")] })],
      detail: "pod web-c: app: CrashLoopBackOff",
    },
    {
      name: "a completed init container is no reason",
      pods: [
        pod("web-a", {
          phase: "Pending",
          initContainerStatuses: [{ name: "init", ready: false, state: { terminated: { reason: "Completed" } } }],
          containerStatuses: [waiting("ImagePullBackOff")],
        }),
      ],
      detail: "pod web-a: app: ImagePullBackOff",
    },
    {
      name: "a failed Job's Pod, by how its container ended",
      pods: [
        pod("migrate-x", {
          phase: "Failed",
          containerStatuses: [{ name: "app", ready: false, state: { terminated: { reason: "Error", exitCode: 1 } } }],
        }),
      ],
      detail: "pod migrate-x: Error (exit code 1)",
    },
    {
      name: "terminating and finished Pods",
      pods: [
        pod("web-a", { phase: "Pending" }, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
        pod("web-b", { phase: "Succeeded" }),
      ],
      detail: undefined,
    },
  ])("explains $name", ({ pods, detail }) => {
    expect(unreadyPodsDetail(pods)).toBe(detail);
  });

  it("appends the detail to the verdict's message", () => {
    const verdict = { status: "Degraded" as const, message: "progress deadline exceeded" };
    expect(withPodDetail(verdict, "pod web-a: ImagePullBackOff")).toEqual({
      status: "Degraded",
      message: "progress deadline exceeded; pod web-a: ImagePullBackOff",
    });
    expect(withPodDetail(verdict, undefined)).toBe(verdict);
  });
});
