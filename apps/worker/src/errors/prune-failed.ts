import type { ChangeSetEntry } from "@flotilla/kube";
import { anyUnreachable, describeFailures } from "./object-failures.ts";
import { StepFailed } from "./step-failed.ts";

/** Objects that left Git could not be deleted; the inventory keeps them so the next sync tries again. */
export class PruneFailed extends StepFailed {
  override readonly name = "PruneFailed";
  readonly reason = "PruneFailed" as const;
  readonly failed: readonly ChangeSetEntry[];

  constructor(failed: readonly ChangeSetEntry[]) {
    super(describeFailures("prune", failed), anyUnreachable(failed));
    this.failed = failed;
  }
}
