/** Bounds on what one template may cost; hostile input fails with a clear error instead of eating the process. */
export interface TemplateLimits {
  /**
   * Longest template text accepted.
   * @defaultValue 65536 (the schema's string cap)
   */
  maxTemplateBytes: number;
  /**
   * Longest output of one render, and of any single helper result.
   * @defaultValue 1048576
   */
  maxOutputBytes: number;
  /**
   * Deepest nesting of blocks and sub-expressions in a template.
   * @defaultValue 16
   */
  maxNesting: number;
  /**
   * Most `{{#each}}` iterations in one render, summed over all loops (a nested each multiplies).
   * @defaultValue 100000
   */
  maxIterations: number;
  /**
   * Deepest value `renderFields` walks and `renderTemplatePatch` accepts.
   * @defaultValue 64
   */
  maxDepth: number;
}

export const DEFAULT_TEMPLATE_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  maxTemplateBytes: 64 * 1024,
  maxOutputBytes: 1024 * 1024,
  maxNesting: 16,
  maxIterations: 100_000,
  maxDepth: 64,
});
