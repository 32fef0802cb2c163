import { mapLimit } from "@flotilla/core";
import type { ChangeSet } from "./changeset.ts";
import type { ClusterClient } from "./client.ts";
import {
  aggregateHealth,
  assessHealth,
  type HealthVerdict,
  podSelectorOf,
  unreadyPodsDetail,
  wantsPodDetail,
  withPodDetail,
} from "./health.ts";
import { formatId, type KubeObject, type ObjectRef, refOf, subjectOf } from "./object.ts";
import { prepare } from "./prepare.ts";

export interface ObjectHealth {
  id: string;
  subject: string;
  verdict: HealthVerdict;
  /** The resourceVersion of the object judged, when one was read or applied. */
  resourceVersion?: string;
}

export interface HealthReport {
  objects: ObjectHealth[];
  /** The worst of the objects' verdicts. */
  aggregate: HealthVerdict;
}

export interface HealthOptions {
  /** Where namespaced objects without a namespace live (the Application's destination). */
  namespace?: string;
  /**
   * How many objects are read at once.
   * @defaultValue 8
   */
  concurrency?: number;
}

/** Enough Pods to name one that is not ready, without reading every Pod of a large Deployment. */
const POD_LIST_LIMIT = 100;

/**
 * Why a workload's Pods are not ready, from one list of the Pods its selector matches. Best effort: the workload's
 * own verdict stands without it, so a failed list gives no detail rather than an error.
 */
async function unreadyPodsOf(client: ClusterClient, workload: KubeObject, ref: ObjectRef): Promise<string | undefined> {
  const labelSelector = podSelectorOf(workload);
  if (labelSelector === undefined || ref.namespace === "") return undefined;
  try {
    const list = await client.transport.request<{ items?: unknown[] }>({
      method: "GET",
      path: `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods`,
      query: { labelSelector, limit: String(POD_LIST_LIMIT) },
    });
    return unreadyPodsDetail(Array.isArray(list?.items) ? list.items : []);
  } catch {
    return undefined;
  }
}

/**
 * Reads each object back and judges it; a read that fails gives Unknown for that object, not an exception.
 * A Deployment that is Progressing or Degraded costs one more read, of its Pods, to say why (see wantsPodDetail).
 */
export async function checkHealth(
  client: ClusterClient,
  objects: readonly KubeObject[],
  options: HealthOptions = {},
): Promise<HealthReport> {
  const results = await mapLimit(objects, options.concurrency ?? 8, async (object): Promise<ObjectHealth> => {
    let ref = refOf(object);
    try {
      const prepared = await prepare(client, object, { namespace: options.namespace });
      ref = prepared.ref;
      const live = await client.get(prepared.info, ref);
      let verdict = assessHealth(live);
      if (live !== undefined && wantsPodDetail(live, verdict)) {
        verdict = withPodDetail(verdict, await unreadyPodsOf(client, live, ref));
      }
      const resourceVersion = live?.metadata?.resourceVersion;
      return {
        id: formatId(ref),
        subject: subjectOf(ref),
        verdict,
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { id: formatId(ref), subject: subjectOf(ref), verdict: { status: "Unknown", message } };
    }
  });
  return { objects: results, aggregate: aggregateHealth(results) };
}

/**
 * Health as the apply left it, from the verdicts the apply recorded: no read at all. Undefined when some applied
 * object has none (it failed, or the set was a dry run); then read the objects with `checkHealth`.
 */
export function healthOfApplied(changeSet: ChangeSet): HealthReport | undefined {
  const applied = changeSet.entries.filter((entry) => entry.owned);
  if (applied.some((entry) => entry.health === undefined)) return undefined;
  const objects = applied.map(
    (entry): ObjectHealth => ({
      id: entry.id,
      subject: entry.subject,
      verdict: entry.health!,
      ...(entry.resourceVersion === undefined ? {} : { resourceVersion: entry.resourceVersion }),
    }),
  );
  return { objects, aggregate: aggregateHealth(objects) };
}
