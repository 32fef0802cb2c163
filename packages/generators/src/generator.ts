import type { Cluster, FieldPath, GeneratorKind, GeneratorSpec, Params, RepoReader } from "@flotilla/core";
import type { GeneratorLimits } from "./limits.ts";
import type { ParamsMemo } from "./memo.ts";

/** What a generation runs against: the registered clusters and the one seam to Git. */
export interface GeneratorContext {
  /** Name of the ApplicationSet being generated, for messages. */
  appSet: string;
  clusters: readonly Cluster[];
  repos: RepoReader;
  /** Overrides of `DEFAULT_GENERATOR_LIMITS`. */
  limits?: Partial<GeneratorLimits>;
  /**
   * Parameter sets of this ApplicationSet's previous generation: an unchanged element comes out as the same object
   * (see `ParamsMemo`). Owned by the caller, one per ApplicationSet. @defaultValue none: everything is built anew
   */
  memo?: ParamsMemo;
}

/** Where a generator sits in the ApplicationSet, and how deep in matrix/merge nesting. */
export interface GeneratorPosition {
  /** Path to the generator's own field, e.g. `spec.generators[0].matrix.generators[1].git`. */
  path: FieldPath;
  /** 0 at the top level; each enclosing matrix or merge adds one. */
  depth: number;
}

/** One generator kind. Each reads only its own field of the spec. */
export interface Generator {
  readonly kind: GeneratorKind;
  generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]>;
}

/** Generates any spec by dispatching on its kind; what matrix and merge receive for their children. */
export interface ChildGenerators {
  /** @param at position of the child entry itself (`…generators[1]`), before its kind is appended. */
  generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]>;
}
