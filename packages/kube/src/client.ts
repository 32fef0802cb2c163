import { Discovery, type ResourceInfo, resourcePath } from "./discovery.ts";
import { isNotFound } from "./errors/predicates.ts";
import type { KubeObject, ObjectRef } from "./object.ts";
import type { Transport } from "./transport.ts";

const APPLY_PATCH = "application/apply-patch+yaml";

export interface PatchApplyOptions {
  fieldManager: string;
  force: boolean;
  dryRun: boolean;
}

/** What a server-side apply answered: the object as it now is, and whether the apply created it (HTTP 201). */
export interface AppliedObject {
  object: KubeObject;
  created: boolean;
}

export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/** The few REST verbs the manager needs, on objects whose kind was resolved through discovery. */
export class ClusterClient {
  readonly transport: Transport;
  readonly discovery: Discovery;

  constructor(transport: Transport) {
    this.transport = transport;
    this.discovery = new Discovery(transport);
  }

  /** The live object, or undefined when it does not exist. */
  async get(info: ResourceInfo, ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.transport.request<KubeObject>({
        method: "GET",
        path: resourcePath(info, ref.namespace, ref.name),
        ref,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Server-side apply; JSON is valid YAML, so the apply-patch content type takes it as is. */
  async apply(
    info: ResourceInfo,
    ref: ObjectRef,
    object: KubeObject,
    options: PatchApplyOptions,
  ): Promise<AppliedObject> {
    const query: Record<string, string> = { fieldManager: options.fieldManager, fieldValidation: "Strict" };
    if (options.force) query["force"] = "true";
    if (options.dryRun) query["dryRun"] = "All";
    const answer = await this.transport.exchange<KubeObject>({
      method: "PATCH",
      path: resourcePath(info, ref.namespace, ref.name),
      query,
      body: object,
      contentType: APPLY_PATCH,
      ref,
    });
    return { object: answer.body, created: answer.status === 201 };
  }

  async delete(
    info: ResourceInfo,
    ref: ObjectRef,
    options: { propagationPolicy: string; preconditions?: DeletePreconditions; dryRun?: boolean },
  ): Promise<void> {
    const body: Record<string, unknown> = {
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy: options.propagationPolicy,
    };
    if (options.preconditions !== undefined) body["preconditions"] = options.preconditions;
    if (options.dryRun === true) body["dryRun"] = ["All"];
    await this.transport.request<unknown>({
      method: "DELETE",
      path: resourcePath(info, ref.namespace, ref.name),
      body,
      ref,
    });
  }
}
