import { type ObjectRef, subjectOf } from "../object.ts";
import { KubeError } from "./kube-error.ts";
import { shortReason } from "./reason.ts";

/**
 * One object could not be deleted; formats as "Kind/namespace/name delete failed (reason)" and keeps the cause.
 * Carried by a ChangeSet entry; the worker's step error `DeleteFailed` is the Application-level verdict over these.
 */
export class ObjectDeleteFailed extends KubeError {
  override readonly name = "ObjectDeleteFailed";
  declare readonly ref: ObjectRef;

  constructor(ref: ObjectRef, cause: unknown) {
    super(`${subjectOf(ref)} delete failed (${shortReason(cause)})`, ref, { cause });
  }
}
