import type { ElementError } from "@flotilla/core";

/** One failed element as a person finds it: its position, its parameters and the Application it would have been. */
export function describeElementError(err: ElementError): string {
  const app = err.application !== undefined ? ` (Application "${err.application}")` : "";
  return `element ${err.element} [${err.params}]${app}: ${err.message}`;
}
