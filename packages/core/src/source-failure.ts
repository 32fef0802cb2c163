import type { Params } from "./params.ts";

/**
 * Why one source of parameters (a git file that does not parse) produced no real elements. It travels with the
 * element's parameters under a symbol key: templates and `Object.keys` never see it, and no Git content can
 * forge it, since parsed keys are strings.
 */
export interface SourceFailure {
  /** The source as a person finds it: `<repo> at <commit>: <path>`. */
  source: string;
  /** What is wrong, with line and column where the parser gave them. */
  message: string;
}

const SOURCE_FAILURE = Symbol("flotilla.sourceFailure");

/**
 * The parameters standing for a source that failed: what is known without reading it (the path parameters of a
 * git file, the params of a matrix sibling), so that an Application name built from those alone still renders
 * and protects the Application the source produced before.
 */
export function failedSourceParams(known: Params, failure: SourceFailure): Params {
  const params = Object.assign(Object.create(null) as Params, known);
  Object.defineProperty(params, SOURCE_FAILURE, { value: failure, enumerable: true });
  return params;
}

/** The failure a parameter set stands for, if it stands for one. */
export function sourceFailureOf(params: Params): SourceFailure | undefined {
  return (params as Record<symbol, SourceFailure | undefined>)[SOURCE_FAILURE];
}
