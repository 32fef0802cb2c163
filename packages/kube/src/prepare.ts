import type { ClusterClient } from "./client.ts";
import type { ResourceInfo } from "./discovery.ts";
import { KubeError } from "./errors/kube-error.ts";
import { type Owner, stampOwnership } from "./labels.ts";
import { cloneObject, isPlainObject, type KubeObject, type ObjectRef, refOf } from "./object.ts";

/** An object ready for the API: kind resolved, namespace settled, ownership stamped. */
export interface PreparedObject {
  info: ResourceInfo;
  ref: ObjectRef;
  object: KubeObject;
}

/** A manifest that cannot be sent at all (no kind, no name, no namespace to put it in). */
export class InvalidObject extends KubeError {
  override readonly name = "InvalidObject";
}

export function checkShape(object: KubeObject): void {
  const ref = isPlainObject(object.metadata) ? refOf(object) : undefined;
  if (typeof object.apiVersion !== "string" || object.apiVersion === "") {
    throw new InvalidObject("object has no apiVersion", ref);
  }
  if (typeof object.kind !== "string" || object.kind === "") throw new InvalidObject("object has no kind", ref);
  if (!isPlainObject(object.metadata) || typeof object.metadata.name !== "string" || object.metadata.name === "") {
    throw new InvalidObject(`${object.kind} has no metadata.name`, ref);
  }
}

/**
 * Resolves the kind and settles the namespace: a namespaced object without one goes to the Application's
 * destination namespace; a cluster-scoped object loses any namespace it was given, so its id is stable.
 */
export async function prepare(
  client: ClusterClient,
  input: KubeObject,
  options: { namespace?: string; owner?: Owner },
): Promise<PreparedObject> {
  checkShape(input);
  const info = await client.discovery.resolve(input.apiVersion, input.kind, refOf(input));
  let object = options.owner === undefined ? cloneObject(input) : stampOwnership(input, options.owner);
  if (info.namespaced) {
    if (object.metadata.namespace === undefined || object.metadata.namespace === "") {
      if (options.namespace === undefined || options.namespace === "") {
        throw new InvalidObject(
          `${object.kind}/${object.metadata.name} is namespaced but has no namespace and the Application has no destination namespace`,
          refOf(object),
        );
      }
      object = { ...object, metadata: { ...object.metadata, namespace: options.namespace } };
    }
  } else if (object.metadata.namespace !== undefined) {
    const { namespace: _dropped, ...metadata } = object.metadata;
    object = { ...object, metadata };
  }
  return { info, ref: refOf(object), object };
}
