import { StepFailed } from "./step-failed.ts";

/**
 * A sync wave did not become Healthy, so the later waves were not applied. Retried while it may still get there
 * (a slow roll-out); not when one of its Jobs failed, which no wait can mend.
 */
export class SyncWaveFailed extends StepFailed {
  override readonly name = "SyncWaveFailed";
  readonly reason = "SyncWaveFailed" as const;
  readonly wave: number;

  constructor(options: { wave: number; detail: string; retryable: boolean }) {
    super(`sync wave ${options.wave} did not become Healthy: ${options.detail}`, options.retryable);
    this.wave = options.wave;
  }
}
