import { mapLimit } from "@flotilla/core";
import { type ApplyOptions, type ApplyRequest, defaultApplyOptions } from "./apply.ts";
import type { ClusterClient } from "./client.ts";
import { type Drift, detectDrift } from "./drift.ts";
import { DryRunFailed } from "./errors/dry-run-failed.ts";
import { KubeError } from "./errors/kube-error.ts";
import { formatId, type KubeObject, refOf, subjectOf } from "./object.ts";
import { prepare } from "./prepare.ts";

export interface DriftEntry extends Drift {
  id: string;
  subject: string;
  /** Set when the dry-run itself failed; `drifted` is then true, since the cluster cannot be shown equal to Git. */
  error?: KubeError;
}

export type DiffOptions = Pick<ApplyOptions, "fieldManager" | "force" | "concurrency">;

export function defaultDiffOptions(): DiffOptions {
  const { fieldManager, force, concurrency } = defaultApplyOptions();
  return { fieldManager, force, concurrency };
}

/**
 * Asks the API server what applying each object would produce (a server-side dry-run, so defaults, admission
 * and field ownership are the server's own) and compares that with the live object.
 */
export async function diffAll(
  client: ClusterClient,
  objects: readonly KubeObject[],
  request: ApplyRequest,
  options: DiffOptions,
): Promise<DriftEntry[]> {
  return mapLimit(objects, options.concurrency, async (object): Promise<DriftEntry> => {
    let ref = refOf(object);
    try {
      const prepared = await prepare(client, object, { namespace: request.namespace, owner: request });
      ref = prepared.ref;
      const live = await client.get(prepared.info, ref);
      const base = { id: formatId(ref), subject: subjectOf(ref) };
      if (live === undefined) return { ...base, ...detectDrift(prepared.object, undefined) };
      const dryRun = (await client.apply(prepared.info, ref, prepared.object, { ...options, dryRun: true })).object;
      return { ...base, ...detectDrift(dryRun, live) };
    } catch (error) {
      const failure = new DryRunFailed(error instanceof KubeError && error.ref ? error.ref : ref, error);
      return { id: formatId(ref), subject: subjectOf(ref), drifted: true, paths: [], error: failure };
    }
  });
}
