const SNIPPET_MAX = 80;

/** Shortens template text for error messages: a hostile 64 KiB template must not become a 64 KiB log line. */
export function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > SNIPPET_MAX ? `${oneLine.slice(0, SNIPPET_MAX - 1)}…` : oneLine;
}

/** Why a template failed, for callers that branch on it (matrix tells a missing parameter apart) without text. */
export type TemplateErrorCode =
  | "MissingParameter"
  | "UnknownHelper"
  | "HelperFailed"
  | "InvalidTemplate"
  | "InvalidPatch"
  | "TooLarge";

export interface TemplateErrorInit {
  code: TemplateErrorCode;
  /** Where the template sits, e.g. `spec.destination.namespace`; empty when rendering a bare string. */
  fieldPath?: string;
  template: string;
  /** What went wrong, e.g. `missing parameter "foo"`. */
  reason: string;
  cause?: unknown;
}

/**
 * A template that cannot render for one parameter set. It names the field, the (truncated) template and the
 * reason, so that the engine can fail exactly one element with a message a user can act on:
 * `spec.destination.namespace: missing parameter "foo" in "{{foo}}"`.
 */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly code: TemplateErrorCode;
  readonly fieldPath: string;
  readonly template: string;
  readonly reason: string;

  constructor(init: TemplateErrorInit) {
    const fieldPath = init.fieldPath ?? "";
    const template = snippet(init.template);
    const located = `${init.reason} in ${JSON.stringify(template)}`;
    super(
      fieldPath ? `${fieldPath}: ${located}` : located,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = init.code;
    this.fieldPath = fieldPath;
    this.template = template;
    this.reason = init.reason;
  }

  /** The same error placed at a field, for callers that learn the field only after rendering failed. */
  at(fieldPath: string): TemplateError {
    return new TemplateError({
      code: this.code,
      fieldPath,
      template: this.template,
      reason: this.reason,
      cause: this.cause,
    });
  }
}

export function isTemplateError(err: unknown): err is TemplateError {
  return err instanceof TemplateError;
}
