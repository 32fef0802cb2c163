import { type ObjectRef, subjectOf } from "../object.ts";
import { KubeError } from "./kube-error.ts";
import { shortReason } from "./reason.ts";

/** One object could not be read; formats as "Kind/namespace/name read failed (reason)" and keeps the cause. */
export class ReadFailed extends KubeError {
  override readonly name = "ReadFailed";
  declare readonly ref: ObjectRef;

  constructor(ref: ObjectRef, cause: unknown) {
    super(`${subjectOf(ref)} read failed (${shortReason(cause)})`, ref, { cause });
  }
}
