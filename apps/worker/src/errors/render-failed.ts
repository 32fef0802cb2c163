import { isTransientRenderFailure } from "@flotilla/render";
import { StepFailed } from "./step-failed.ts";

/** The source could not be rendered. A bad manifest is not retried: only a new commit can fix it. */
export class RenderFailed extends StepFailed {
  override readonly name = "RenderFailed";
  readonly reason = "RenderFailed" as const;

  /** `retryable` defaults to what the renderer's error says; a manifest refused after rendering is not. */
  constructor(cause: unknown, retryable = isTransientRenderFailure(cause)) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`render failed: ${detail}`, retryable, { cause });
  }
}
