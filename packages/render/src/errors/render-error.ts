/**
 * Why a render failed, for callers that branch (retry a timeout, never retry a bad manifest) without matching
 * message text.
 */
export type RenderFailure =
  | "InvalidManifest"
  | "DuplicateObject"
  | "PathNotFound"
  | "UnsafePath"
  | "TooLarge"
  | "RemoteReference"
  | "Unsupported"
  | "ToolNotFound"
  | "ToolFailed"
  | "ToolTimeout"
  | "ReadFailed";

export interface RenderErrorDetails {
  failure: RenderFailure;
  /** Repository-relative file the problem is in, when there is one. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** 0-based document position in a multi-document file. */
  document?: number;
  reason: string;
  cause?: unknown;
}

/**
 * A source that cannot be rendered. It fails one Application (its sync status becomes Error with this message)
 * and nothing else; the message names the file, document and line where there are ones.
 */
export class RenderError extends Error {
  override readonly name: string = "RenderError";
  readonly failure: RenderFailure;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly document: number | undefined;
  readonly reason: string;

  constructor(details: RenderErrorDetails) {
    super(formatRenderError(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.failure = details.failure;
    this.file = details.file;
    this.line = details.line;
    this.document = details.document;
    this.reason = details.reason;
  }
}

function formatRenderError(d: RenderErrorDetails): string {
  if (d.file === undefined) return d.reason;
  const where: string[] = [];
  if (d.document !== undefined) where.push(`document ${d.document}`);
  if (d.line !== undefined) where.push(`line ${d.line}`);
  return where.length > 0 ? `${d.file} (${where.join(", ")}): ${d.reason}` : `${d.file}: ${d.reason}`;
}

export function isRenderError(err: unknown): err is RenderError {
  return err instanceof RenderError;
}

// Failures that may pass on their own: reading the repository, or a tool that ran out of time.
const TRANSIENT: ReadonlySet<RenderFailure> = new Set(["ReadFailed", "ToolTimeout"]);

/**
 * Whether rendering the same input again may succeed. Anything that is not a RenderError is an outage we did not
 * foresee, so it counts as transient; a bad manifest does not: only a new commit can fix it.
 */
export function isTransientRenderFailure(err: unknown): boolean {
  return !isRenderError(err) || TRANSIENT.has(err.failure);
}
