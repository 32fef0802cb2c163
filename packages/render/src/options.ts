/** Bounds on one render, so that one hostile or mistaken source cannot exhaust a worker. */
export interface RenderLimits {
  /** Files read from the repository for one render. @defaultValue 5 000 */
  maxFiles: number;
  /** Bytes read from the repository for one render (each file is also bounded by the reader). @defaultValue 64 MiB */
  maxSourceBytes: number;
  /** Objects in one bundle. @defaultValue 10 000 */
  maxObjects: number;
  /** A helm or kustomize run taking longer is killed. @defaultValue 60 000 ms */
  toolTimeoutMs: number;
  /** A helm or kustomize run writing more to stdout is killed. @defaultValue 64 MiB */
  maxToolOutputBytes: number;
  /** How much of a tool's stderr goes into the error message. @defaultValue 2 000 characters */
  maxStderrChars: number;
  /** Files of one source read at once. @defaultValue 16 */
  readConcurrency: number;
}

export function defaultRenderLimits(): RenderLimits {
  return {
    maxFiles: 5_000,
    maxSourceBytes: 64 * 1024 * 1024,
    maxObjects: 10_000,
    toolTimeoutMs: 60_000,
    maxToolOutputBytes: 64 * 1024 * 1024,
    maxStderrChars: 2_000,
    readConcurrency: 16,
  };
}

/** Where the helm and kustomize binaries are. */
export interface ToolPaths {
  /** @defaultValue `$FLOTILLA_HELM`, else `helm` on PATH */
  helm: string;
  /** @defaultValue `$FLOTILLA_KUSTOMIZE`, else `kustomize` on PATH */
  kustomize: string;
}

export function defaultToolPaths(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  return {
    helm: env["FLOTILLA_HELM"] || "helm",
    kustomize: env["FLOTILLA_KUSTOMIZE"] || "kustomize",
  };
}
