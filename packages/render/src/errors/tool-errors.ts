import { RenderError } from "./render-error.ts";

/** The helm or kustomize binary is not installed where configured; says which one and how to get it. */
export class ToolNotFoundError extends RenderError {
  override readonly name = "ToolNotFoundError";
  readonly tool: string;

  constructor(tool: string, tried: string, envVar: string) {
    super({
      failure: "ToolNotFound",
      reason:
        `${tool} binary not found (tried ${JSON.stringify(tried)}); set ${envVar} to its path or put ${tool} on PATH` +
        " (bash scripts/testbed/setup.sh builds it)",
    });
    this.tool = tool;
  }
}

/** The binary ran and failed, timed out or wrote more than allowed; carries its trimmed stderr. */
export class ToolFailedError extends RenderError {
  override readonly name = "ToolFailedError";
  readonly tool: string;
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(options: {
    tool: string;
    reason: string;
    exitCode: number | null;
    stderr: string;
    timedOut?: boolean;
    file?: string;
  }) {
    super({
      failure: options.timedOut ? "ToolTimeout" : "ToolFailed",
      ...(options.file === undefined ? {} : { file: options.file }),
      reason: options.stderr === "" ? options.reason : `${options.reason}: ${options.stderr}`,
    });
    this.tool = options.tool;
    this.exitCode = options.exitCode;
    this.stderr = options.stderr;
  }
}

export function isToolNotFoundError(err: unknown): err is ToolNotFoundError {
  return err instanceof ToolNotFoundError;
}
