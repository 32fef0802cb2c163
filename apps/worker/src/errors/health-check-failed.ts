import { StepFailed } from "./step-failed.ts";

/** The health of the applied objects could not be read at all (per-object read failures are Unknown, not this). */
export class HealthCheckFailed extends StepFailed {
  override readonly name = "HealthCheckFailed";
  readonly reason = "HealthCheckFailed" as const;

  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`health check failed: ${detail}`, true, { cause });
  }
}
