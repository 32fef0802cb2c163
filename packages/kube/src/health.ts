import { type Condition, conditionOf, conditionsOf, numberAt, stringAt, valueAt } from "./fields.ts";
import { groupOf, isPlainObject, type KubeObject } from "./object.ts";

/**
 * Health after kstatus: Healthy (kstatus Current), Progressing (InProgress), Degraded (Failed),
 * Missing (NotFound) and Unknown (the status cannot be read).
 */
export type HealthStatus = "Healthy" | "Progressing" | "Degraded" | "Missing" | "Unknown";

export interface HealthVerdict {
  status: HealthStatus;
  message: string;
}

const verdict = (status: HealthStatus, message: string): HealthVerdict => ({ status, message });

type KindRule = (object: KubeObject) => HealthVerdict;

function desiredReplicas(object: KubeObject): number {
  return numberAt(object, "spec", "replicas") ?? 1;
}

function conditionText(condition: Condition): string {
  return [condition.reason, condition.message].filter((part) => part !== undefined && part !== "").join(": ");
}

function deploymentHealth(object: KubeObject): HealthVerdict {
  const progressing = conditionOf(object, "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return verdict("Degraded", `progress deadline exceeded${progressing.message ? `: ${progressing.message}` : ""}`);
  }
  const replicaFailure = conditionOf(object, "ReplicaFailure");
  if (replicaFailure?.status === "True")
    return verdict("Degraded", `replica failure: ${conditionText(replicaFailure)}`);

  const desired = desiredReplicas(object);
  const replicas = numberAt(object, "status", "replicas") ?? 0;
  const updated = numberAt(object, "status", "updatedReplicas") ?? 0;
  const available = numberAt(object, "status", "availableReplicas") ?? 0;
  if (updated < desired) return verdict("Progressing", `${updated} of ${desired} replicas updated`);
  if (replicas > updated) return verdict("Progressing", `${replicas - updated} old replicas pending termination`);
  if (available < desired) return verdict("Progressing", `${available} of ${desired} replicas available`);
  const availableCondition = conditionOf(object, "Available");
  if (availableCondition !== undefined && availableCondition.status !== "True") {
    return verdict("Progressing", `not available: ${conditionText(availableCondition)}`);
  }
  return verdict("Healthy", `${available} of ${desired} replicas available`);
}

function statefulSetHealth(object: KubeObject): HealthVerdict {
  const desired = desiredReplicas(object);
  const replicas = numberAt(object, "status", "replicas") ?? 0;
  const ready = numberAt(object, "status", "readyReplicas") ?? 0;
  if (replicas < desired) return verdict("Progressing", `${replicas} of ${desired} replicas created`);
  if (ready < desired) return verdict("Progressing", `${ready} of ${desired} replicas ready`);
  // OnDelete leaves old pods in place by design; there is no rollout to wait for.
  if (stringAt(object, "spec", "updateStrategy", "type") === "OnDelete") {
    return verdict("Healthy", `${ready} of ${desired} replicas ready`);
  }
  const partition = numberAt(object, "spec", "updateStrategy", "rollingUpdate", "partition");
  const updated = numberAt(object, "status", "updatedReplicas") ?? 0;
  if (partition !== undefined && partition > 0) {
    const expected = Math.max(desired - partition, 0);
    if (updated < expected) return verdict("Progressing", `${updated} of ${expected} partitioned replicas updated`);
    return verdict("Healthy", `partitioned roll out complete: ${updated} of ${expected} replicas updated`);
  }
  const currentRevision = stringAt(object, "status", "currentRevision");
  const updateRevision = stringAt(object, "status", "updateRevision");
  if (updateRevision !== undefined && currentRevision !== updateRevision) {
    return verdict("Progressing", `rolling update in progress: ${updated} of ${desired} replicas at ${updateRevision}`);
  }
  return verdict("Healthy", `${ready} of ${desired} replicas ready`);
}

function daemonSetHealth(object: KubeObject): HealthVerdict {
  const desired = numberAt(object, "status", "desiredNumberScheduled");
  if (desired === undefined) return verdict("Progressing", "not yet scheduled");
  const updated = numberAt(object, "status", "updatedNumberScheduled") ?? 0;
  const available = numberAt(object, "status", "numberAvailable") ?? 0;
  const unavailable = numberAt(object, "status", "numberUnavailable") ?? 0;
  if (updated < desired) return verdict("Progressing", `${updated} of ${desired} pods updated`);
  if (unavailable > 0 || available < desired) {
    return verdict("Progressing", `${available} of ${desired} pods available`);
  }
  return verdict("Healthy", `${available} of ${desired} pods available`);
}

function jobHealth(object: KubeObject): HealthVerdict {
  const failed = conditionOf(object, "Failed");
  if (failed?.status === "True") return verdict("Degraded", `job failed: ${conditionText(failed)}`);
  const complete = conditionOf(object, "Complete");
  if (complete?.status === "True") return verdict("Healthy", "job complete");
  const suspended = conditionOf(object, "Suspended");
  if (suspended?.status === "True") return verdict("Healthy", "job suspended");
  const active = numberAt(object, "status", "active") ?? 0;
  const succeeded = numberAt(object, "status", "succeeded") ?? 0;
  return verdict("Progressing", `job running: ${active} active, ${succeeded} succeeded`);
}

function pvcHealth(object: KubeObject): HealthVerdict {
  const phase = stringAt(object, "status", "phase");
  switch (phase) {
    case "Bound":
      return verdict("Healthy", "bound");
    case "Lost":
      return verdict("Degraded", "claim lost its volume");
    case "Pending":
    case undefined:
      return verdict("Progressing", "waiting for a volume");
    default:
      return verdict("Unknown", `unrecognised phase "${phase}"`);
  }
}

function serviceHealth(object: KubeObject): HealthVerdict {
  if (stringAt(object, "spec", "type") !== "LoadBalancer") return verdict("Healthy", "service ready");
  const ingress = valueAt(object, "status", "loadBalancer", "ingress");
  if (Array.isArray(ingress) && ingress.length > 0) return verdict("Healthy", "load balancer ready");
  return verdict("Progressing", "waiting for a load balancer address");
}

const FAILURE_REASON = /(fail|error|invalid)/i;

/** Any kind not known by name: the de-facto conventions (Stalled, Reconciling, Ready, Available), else Current. */
function genericHealth(object: KubeObject): HealthVerdict {
  const conditions = conditionsOf(object);
  if (conditions === undefined) {
    const raw = valueAt(object, "status", "conditions");
    if (raw !== undefined) return verdict("Unknown", "status.conditions is not a list");
    return verdict("Healthy", "exists");
  }
  const find = (type: string) => conditions.find((c) => c.type === type);
  const stalled = find("Stalled");
  if (stalled?.status === "True") return verdict("Degraded", `stalled: ${conditionText(stalled)}`);
  const reconciling = find("Reconciling");
  if (reconciling?.status === "True") return verdict("Progressing", `reconciling: ${conditionText(reconciling)}`);
  for (const type of ["Ready", "Available"]) {
    const condition = find(type);
    if (condition === undefined) continue;
    if (condition.status === "True") return verdict("Healthy", type.toLowerCase());
    if (condition.status === "False" && FAILURE_REASON.test(condition.reason ?? "")) {
      return verdict("Degraded", `not ${type.toLowerCase()}: ${conditionText(condition)}`);
    }
    return verdict(
      "Progressing",
      `not ${type.toLowerCase()} yet${conditionText(condition) ? `: ${conditionText(condition)}` : ""}`,
    );
  }
  return verdict("Healthy", "exists");
}

const RULES: Record<string, KindRule> = {
  "apps/Deployment": deploymentHealth,
  "apps/StatefulSet": statefulSetHealth,
  "apps/DaemonSet": daemonSetHealth,
  "batch/Job": jobHealth,
  "/PersistentVolumeClaim": pvcHealth,
  "/Service": serviceHealth,
};

function ruleFor(object: KubeObject): KindRule {
  const slash = object.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : object.apiVersion.slice(0, slash);
  return RULES[`${group}/${object.kind}`] ?? genericHealth;
}

/** The health of one live object; `undefined` means it is not on the cluster. */
export function assessHealth(object: KubeObject | undefined): HealthVerdict {
  if (object === undefined) return verdict("Missing", "not found on the cluster");
  if (valueAt(object, "metadata", "deletionTimestamp") !== undefined) return verdict("Progressing", "being deleted");
  const generation = numberAt(object, "metadata", "generation");
  const observed = numberAt(object, "status", "observedGeneration");
  // Until the controller has seen the latest spec, whatever the status says describes an older one.
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return verdict("Progressing", `generation ${generation} not yet observed (observed ${observed})`);
  }
  return ruleFor(object)(object);
}

/**
 * Whether the verdict is worth explaining with the workload's Pods: a Deployment that is not (yet) available says
 * only how many replicas are missing, while its Pods say why (ImagePullBackOff, a failing readiness probe, …);
 * a failed Job, likewise, says only that it gave up.
 */
export function wantsPodDetail(object: KubeObject, verdict: HealthVerdict): boolean {
  if (valueAt(object, "metadata", "deletionTimestamp") !== undefined) return false;
  // A failed Job says only that it hit its backoff limit; its Pods say how they ended (Error, OOMKilled, …).
  if (object.kind === "Job" && groupOf(object.apiVersion) === "batch") return verdict.status === "Degraded";
  if (object.kind !== "Deployment" || groupOf(object.apiVersion) !== "apps") return false;
  return verdict.status === "Progressing" || verdict.status === "Degraded";
}

function selectorValues(values: unknown): string | undefined {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) return undefined;
  return `(${values.join(",")})`;
}

/**
 * `spec.selector` as a `labelSelector` query parameter; undefined when there is none, it is empty (it would select
 * every Pod of the namespace) or it has an operator this does not know.
 */
export function podSelectorOf(object: KubeObject): string | undefined {
  const selector = valueAt(object, "spec", "selector");
  if (!isPlainObject(selector)) return undefined;
  const parts: string[] = [];
  const labels = selector["matchLabels"];
  if (isPlainObject(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value !== "string") return undefined;
      parts.push(`${key}=${value}`);
    }
  }
  const expressions = selector["matchExpressions"];
  for (const expression of Array.isArray(expressions) ? expressions : []) {
    const key = valueAt(expression, "key");
    const operator = valueAt(expression, "operator");
    if (typeof key !== "string") return undefined;
    const values = selectorValues(valueAt(expression, "values"));
    if (operator === "In" && values !== undefined) parts.push(`${key} in ${values}`);
    else if (operator === "NotIn" && values !== undefined) parts.push(`${key} notin ${values}`);
    else if (operator === "Exists") parts.push(key);
    else if (operator === "DoesNotExist") parts.push(`!${key}`);
    else return undefined;
  }
  return parts.length === 0 ? undefined : parts.join(",");
}

interface PodProblem {
  pod: string;
  detail: string;
  /** A container's own reason (ImagePullBackOff, CrashLoopBackOff, …), more telling than the Pod's conditions. */
  fromContainer: boolean;
}

/** The first unready container's waiting or terminated reason, named after its container when there are several. */
function containerReason(pod: unknown): string | undefined {
  const lists = [valueAt(pod, "status", "initContainerStatuses"), valueAt(pod, "status", "containerStatuses")];
  const statuses = lists.flatMap((list) => (Array.isArray(list) ? list : []));
  for (const status of statuses) {
    if (valueAt(status, "ready") === true) continue;
    const terminated = stringAt(status, "state", "terminated", "reason");
    const exitCode = numberAt(status, "state", "terminated", "exitCode");
    const reason = stringAt(status, "state", "waiting", "reason") ?? terminated;
    // A completed init container is not a problem, nor is one that waits without saying why.
    if (reason === undefined || reason === "" || reason === "Completed") continue;
    const withCode = reason === terminated && exitCode !== undefined ? `${reason} (exit code ${exitCode})` : reason;
    const name = stringAt(status, "name");
    return statuses.length > 1 && name !== undefined ? `${name}: ${withCode}` : withCode;
  }
  return undefined;
}

function podProblem(pod: unknown): PodProblem | undefined {
  const name = stringAt(pod, "metadata", "name");
  if (name === undefined || valueAt(pod, "metadata", "deletionTimestamp") !== undefined) return undefined;
  const phase = stringAt(pod, "status", "phase");
  if (phase === "Succeeded" || conditionOf(pod, "Ready")?.status === "True") return undefined;
  const reason = containerReason(pod);
  if (reason !== undefined) return { pod: name, detail: reason, fromContainer: true };
  const scheduled = conditionOf(pod, "PodScheduled");
  if (scheduled?.status === "False") return { pod: name, detail: conditionText(scheduled), fromContainer: false };
  const ready = conditionOf(pod, "Ready");
  const detail = ready?.message || ready?.reason || `${phase ?? "no phase yet"}, not ready`;
  return { pod: name, detail, fromContainer: false };
}

/**
 * Why the Pods are not ready, for a workload's health message: the first unready Pod (by name, those whose
 * container gives a reason first) and how many more there are, e.g. `pod web-7d9f-x2k4q: ImagePullBackOff`.
 */
export function unreadyPodsDetail(pods: readonly unknown[]): string | undefined {
  const problems = pods.flatMap((pod) => podProblem(pod) ?? []);
  problems.sort((a, b) => Number(b.fromContainer) - Number(a.fromContainer) || a.pod.localeCompare(b.pod));
  const first = problems[0];
  if (first === undefined) return undefined;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return `pod ${first.pod}: ${first.detail}${more}`;
}

/** The verdict with the Pods' detail appended to its message. */
export function withPodDetail(verdict: HealthVerdict, detail: string | undefined): HealthVerdict {
  return detail === undefined ? verdict : { status: verdict.status, message: `${verdict.message}; ${detail}` };
}

/** Health verdicts worst first: an Application's health is the worst of its objects', a matrix cell's the worst of its Applications'. */
export const HEALTH_SEVERITY: readonly HealthStatus[] = ["Degraded", "Missing", "Unknown", "Progressing", "Healthy"];

/** The Application's health: the worst of its objects', with the message of the first object at that level. */
export function aggregateHealth(verdicts: readonly { subject: string; verdict: HealthVerdict }[]): HealthVerdict {
  if (verdicts.length === 0) return verdict("Healthy", "no objects");
  for (const status of HEALTH_SEVERITY) {
    const matching = verdicts.filter((v) => v.verdict.status === status);
    const first = matching[0];
    if (first === undefined) continue;
    if (status === "Healthy") return verdict("Healthy", `${verdicts.length} objects healthy`);
    const more = matching.length > 1 ? ` (and ${matching.length - 1} more)` : "";
    return verdict(status, `${first.subject}: ${first.verdict.message}${more}`);
  }
  return verdict("Unknown", "no verdict");
}
