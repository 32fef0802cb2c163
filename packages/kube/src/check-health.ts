import type { ClusterClient } from "./client.ts";
import { aggregateHealth, assessHealth, type HealthVerdict } from "./health.ts";
import { mapLimit } from "./limit.ts";
import { formatId, type KubeObject, refOf, subjectOf } from "./object.ts";
import { prepare } from "./prepare.ts";

export interface ObjectHealth {
  id: string;
  subject: string;
  verdict: HealthVerdict;
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

/** Reads each object back and judges it; a read that fails gives Unknown for that object, not an exception. */
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
      return { id: formatId(ref), subject: subjectOf(ref), verdict: assessHealth(live) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { id: formatId(ref), subject: subjectOf(ref), verdict: { status: "Unknown", message } };
    }
  });
  return { objects: results, aggregate: aggregateHealth(results) };
}
