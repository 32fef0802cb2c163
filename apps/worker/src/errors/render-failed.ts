import { isRenderError } from "@flotilla/render";
import { StepFailed } from "./step-failed.ts";

// Failures that may pass on their own: reading the repository, or a tool that ran out of time.
const TRANSIENT = new Set(["ReadFailed", "ToolTimeout"]);

/** The source could not be rendered. A bad manifest is not retried: only a new commit can fix it. */
export class RenderFailed extends StepFailed {
  override readonly name = "RenderFailed";
  readonly reason = "RenderFailed" as const;

  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const retryable = !isRenderError(cause) || TRANSIENT.has(cause.failure);
    super(`render failed: ${detail}`, retryable, { cause });
  }
}
