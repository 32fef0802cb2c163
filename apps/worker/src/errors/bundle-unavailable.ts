import type { FailureReason } from "@flotilla/status";
import { StepFailed } from "./step-failed.ts";

/**
 * The job's bundle cannot be had: not in the shared store (expired, or Redis lost it) and this worker renders
 * nothing of its own, or the job names none. Retried, since the generator's next cycle or a restored store can
 * bring it back; a job that names no bundle to a worker that may not render is a configuration error and is not.
 */
export class BundleUnavailable extends StepFailed {
  override readonly name = "BundleUnavailable";
  readonly reason = "RenderFailed" as const;

  constructor(message: string, retryable: boolean) {
    super(message, retryable);
  }
}

/** The generator could not resolve or render the source: that is this Application's error until a new commit. */
export class PublishedSourceFailed extends StepFailed {
  override readonly name = "PublishedSourceFailed";
  readonly reason: FailureReason;

  constructor(step: "source" | "render", message: string) {
    super(message, false);
    this.reason = step === "source" ? "SourceFailed" : "RenderFailed";
  }
}
