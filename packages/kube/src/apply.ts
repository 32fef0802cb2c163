import { mapLimit } from "@flotilla/core";
import { type ChangeSet, type ChangeSetEntry, entryFor } from "./changeset.ts";
import type { ClusterClient } from "./client.ts";
import { detectDrift } from "./drift.ts";
import { KubeError } from "./errors/kube-error.ts";
import { ObjectApplyFailed } from "./errors/object-apply-failed.ts";
import { assessHealth } from "./health.ts";
import { COMMIT_ANNOTATION, type Owner } from "./labels.ts";
import { type KubeObject, type ObjectRef, refOf } from "./object.ts";
import { stagesOf } from "./order.ts";
import { type PreparedObject, prepare } from "./prepare.ts";
import { defaultWaitOptions, type WaitOptions, waitForCrdsEstablished } from "./wait.ts";

/** How objects are applied. Only what has a sensible default lives here; who applies lives in ApplyRequest. */
export interface ApplyOptions {
  /**
   * The field manager every apply is made under; the owner of what Git says.
   * @defaultValue "flotilla"
   */
  fieldManager: string;
  /**
   * Take over fields another manager set (a `kubectl edit`, `kubectl scale`): Git wins, which is what reverts drift.
   * @defaultValue true
   */
  force: boolean;
  /**
   * Ask the server what would happen, and change nothing.
   * @defaultValue false
   */
  dryRun: boolean;
  /**
   * Create the destination namespace when it does not exist (Argo CD's `CreateNamespace=true`).
   * @defaultValue false
   */
  createNamespace: boolean;
  /**
   * How many objects are applied at once within a stage.
   * @defaultValue 8
   */
  concurrency: number;
  /** How long to wait for CRDs applied in the same set to be established. */
  wait: WaitOptions;
  /**
   * Read each object before applying it, to tell `configured` from `unchanged`. Without the read an object the
   * apply did not create is `configured`: right when the caller knows every object changes (each carries a commit
   * annotation no apply gave it yet), and it saves one request per object.
   * @defaultValue true
   */
  readLive: boolean;
}

export function defaultApplyOptions(): ApplyOptions {
  return {
    fieldManager: "flotilla",
    force: true,
    dryRun: false,
    createNamespace: false,
    concurrency: 8,
    wait: defaultWaitOptions(),
    readLive: true,
  };
}

/** Who is applying, and where namespaced objects without a namespace go. */
export interface ApplyRequest extends Owner {
  /** The Application's destination namespace. */
  namespace?: string;
}

function versionOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
}

function failedEntry(object: KubeObject, error: unknown): ChangeSetEntry {
  const ref: ObjectRef = error instanceof KubeError && error.ref !== undefined ? error.ref : refOf(object);
  return entryFor(ref, versionOf(object.apiVersion ?? ""), "skipped", { error: new ObjectApplyFailed(ref, error) });
}

async function applyOne(
  client: ClusterClient,
  prepared: PreparedObject,
  options: ApplyOptions,
): Promise<ChangeSetEntry> {
  const { info, ref, object } = prepared;
  const version = versionOf(object.apiVersion);
  try {
    const live = options.readLive ? await client.get(info, ref) : undefined;
    const { object: result, created } = await client.apply(info, ref, object, options);
    const resourceVersion = result?.metadata?.resourceVersion;
    const extra = options.dryRun
      ? {}
      : { health: assessHealth(result), ...(resourceVersion === undefined ? {} : { resourceVersion }) };
    if (created || (options.readLive && live === undefined)) return entryFor(ref, version, "created", extra);
    if (live === undefined) return entryFor(ref, version, "configured", extra);
    // Not resourceVersion: a controller writing status between our read and our apply would look like a change.
    const changed = detectDrift(result, live).drifted;
    return entryFor(ref, version, changed ? "configured" : "unchanged", extra);
  } catch (error) {
    return entryFor(ref, version, "skipped", { error: new ObjectApplyFailed(ref, error) });
  }
}

/** Prepares then applies one stage; an object that cannot even be prepared keeps its place in the output. */
async function applyStage(
  client: ClusterClient,
  objects: readonly KubeObject[],
  request: ApplyRequest,
  options: ApplyOptions,
): Promise<ChangeSetEntry[]> {
  return mapLimit(objects, options.concurrency, async (object) => {
    let prepared: PreparedObject;
    try {
      prepared = await prepare(client, object, { namespace: request.namespace, owner: request });
    } catch (error) {
      return failedEntry(object, error);
    }
    return applyOne(client, prepared, options);
  });
}

/** Creates the destination namespace if missing, without taking ownership: deleting the Application keeps it. */
async function ensureNamespace(
  client: ClusterClient,
  name: string,
  request: ApplyRequest,
  options: ApplyOptions,
): Promise<ChangeSetEntry> {
  const namespace: KubeObject = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, annotations: { [COMMIT_ANNOTATION]: request.commit } },
  };
  const ref = refOf(namespace);
  try {
    const info = await client.discovery.resolve("v1", "Namespace", ref);
    if ((await client.get(info, ref)) !== undefined) return entryFor(ref, "v1", "unchanged", { owned: false });
    await client.apply(info, ref, namespace, options);
    return entryFor(ref, "v1", "created", { owned: false });
  } catch (error) {
    return entryFor(ref, "v1", "skipped", { owned: false, error: new ObjectApplyFailed(ref, error) });
  }
}

/**
 * Applies a set in two stages: Namespaces and CRDs first, then (once the CRDs are established) everything else.
 * One object's failure is recorded on its entry and does not stop the others; the entries come in apply order.
 */
export async function applyAll(
  client: ClusterClient,
  objects: readonly KubeObject[],
  request: ApplyRequest,
  options: ApplyOptions,
): Promise<ChangeSet> {
  const entries: ChangeSetEntry[] = [];
  const [first, rest] = stagesOf(objects);

  const wantsNamespace = request.namespace !== undefined && request.namespace !== "";
  const declaresNamespace = first.some((o) => o.kind === "Namespace" && o.metadata.name === request.namespace);
  if (options.createNamespace && wantsNamespace && !declaresNamespace) {
    entries.push(await ensureNamespace(client, request.namespace as string, request, options));
  }

  entries.push(...(await applyStage(client, first, request, options)));

  const appliedCrds = entries
    .filter((e) => e.error === undefined && e.id.startsWith("apiextensions.k8s.io/CustomResourceDefinition/"))
    .map((e) => e.subject.slice("CustomResourceDefinition/".length));
  if (appliedCrds.length > 0 && !options.dryRun) {
    try {
      await waitForCrdsEstablished(client, appliedCrds, options.wait);
    } catch {
      // Custom resources whose CRD is not ready fail below with a clear "no kind" error; the rest still apply.
    }
  }

  entries.push(...(await applyStage(client, rest, request, options)));
  return { entries };
}
