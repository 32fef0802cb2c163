/** Caps that keep a hostile repository or a runaway matrix from costing more than an error. */
export interface GeneratorLimits {
  /**
   * Matrix/merge generators nested inside one another (a top-level matrix is depth 1).
   * @defaultValue 3
   */
  maxNesting: number;
  /**
   * Parameter sets one generator may produce (a matrix multiplies).
   * @defaultValue 1000000
   */
  maxParamSets: number;
  /**
   * Files a git files generator may match.
   * @defaultValue 10000
   */
  maxFiles: number;
  /**
   * Size of one git file.
   * @defaultValue 1048576
   */
  maxFileBytes: number;
  /**
   * Elements (list entries, or objects in one git file).
   * @defaultValue 10000
   */
  maxElements: number;
  /**
   * Nesting depth of one element's maps and lists before flattening.
   * @defaultValue 32
   */
  maxDepth: number;
  /**
   * Keys one element may flatten into.
   * @defaultValue 10000
   */
  maxKeys: number;
}

export const DEFAULT_GENERATOR_LIMITS: Readonly<GeneratorLimits> = Object.freeze({
  maxNesting: 3,
  maxParamSets: 1_000_000,
  maxFiles: 10_000,
  maxFileBytes: 1024 * 1024,
  maxElements: 10_000,
  maxDepth: 32,
  maxKeys: 10_000,
});
