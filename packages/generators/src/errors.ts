import { type FieldPath, formatFieldPath } from "@flotilla/core";

/** What kind of failure, so that callers can branch without matching message text. */
export type GeneratorErrorCode =
  | "invalid-spec" // the generator spec is unusable (e.g. a selector requirement without values)
  | "git" // the repository could not be read
  | "parse" // a git file is not valid YAML/JSON or has the wrong shape
  | "template" // a generator's own templated field (values, a matrix child) failed to render
  | "conflict" // two generators produce the same key with different values
  | "merge" // mergeKeys do not identify parameter sets uniquely
  | "limit"; // a cap against hostile or runaway input was hit

export interface GeneratorErrorInit {
  /** The failing generator inside the ApplicationSet, e.g. `["spec","generators",0,"matrix","generators",1,"git"]`. */
  at: FieldPath;
  code: GeneratorErrorCode;
  reason: string;
  cause?: unknown;
}

/**
 * A generator failed, so the whole generation is untrustworthy: the engine must delete nothing on it.
 * Formats as `spec.generators[0].matrix.generators[1].git: cannot read https://… at main: <cause>`.
 */
export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
  readonly fieldPath: string;
  readonly code: GeneratorErrorCode;
  readonly reason: string;

  constructor(init: GeneratorErrorInit) {
    const fieldPath = formatFieldPath(init.at);
    super(`${fieldPath}: ${init.reason}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.fieldPath = fieldPath;
    this.code = init.code;
    this.reason = init.reason;
  }
}

export function isGeneratorError(err: unknown): err is GeneratorError {
  return err instanceof GeneratorError;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
