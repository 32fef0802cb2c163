import { type ObjectRef, subjectOf } from "../object.ts";
import { KubeError } from "./kube-error.ts";
import { shortReason } from "./reason.ts";

/** One object could not be dry-run applied; formats as "Kind/namespace/name dry-run failed (reason)" and keeps the cause. */
export class DryRunFailed extends KubeError {
  override readonly name = "DryRunFailed";
  declare readonly ref: ObjectRef;

  constructor(ref: ObjectRef, cause: unknown) {
    super(`${subjectOf(ref)} dry-run failed (${shortReason(cause)})`, ref, { cause });
  }
}
