import { type ObjectRef, subjectOf } from "../object.ts";
import { KubeError } from "./kube-error.ts";
import { shortReason } from "./reason.ts";

/**
 * One object could not be applied; formats as "Kind/namespace/name apply failed (reason)" and keeps the cause.
 * Carried by a ChangeSet entry; the worker's step error `ApplyFailed` is the Application-level verdict over these.
 */
export class ObjectApplyFailed extends KubeError {
  override readonly name = "ObjectApplyFailed";
  declare readonly ref: ObjectRef;

  constructor(ref: ObjectRef, cause: unknown) {
    super(`${subjectOf(ref)} apply failed (${shortReason(cause)})`, ref, { cause });
  }
}
