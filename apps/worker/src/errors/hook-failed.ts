import type { HookPhase } from "@flotilla/kube";
import { StepFailed } from "./step-failed.ts";

/**
 * A hook Job failed (or did not finish in time): the sync stops there, naming the Job and why. Not retried: hooks
 * run once per desired state, so only a change in Git (or a requested sync) runs them again.
 */
export class HookFailed extends StepFailed {
  override readonly name = "HookFailed";
  readonly reason = "HookFailed" as const;
  readonly phase: HookPhase;

  constructor(phase: HookPhase, detail: string) {
    super(`${phase} hook failed: ${detail}`, false);
    this.phase = phase;
  }
}
