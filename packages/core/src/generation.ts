import type { Application } from "./appset.ts";

/** One generator element that could not become an Application. Its siblings are unaffected. */
export interface ElementError {
  appSet: string;
  /** Position of the element in the generators' output. */
  element: number;
  /** The Application's name, when rendering got that far: it protects an existing Application from deletion. */
  application?: string;
  /** The template field that failed, e.g. `spec.destination.namespace`. */
  field?: string;
  /** A short description of the element's parameters so a person can find it (e.g. `name=prod-eu path=apps/x`). */
  params: string;
  /** The source that failed for this element (a git file that does not parse), as `<repo> at <commit>: <path>`. */
  source?: string;
  message: string;
}

/** What one ApplicationSet expands to at one commit. */
export interface Generation {
  appSet: string;
  applications: Application[];
  errors: ElementError[];
  /**
   * Set when a generator itself failed (a Git fetch, a bad selector): the output is incomplete in ways nobody can
   * tell, so the previous generation stays in force and nothing is deleted.
   */
  generatorError?: string;
}
