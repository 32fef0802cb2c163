const EXPRESSION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const GO_FIELD = /^\.([A-Za-z_][\w.]*)$/;
const GO_INDEX = /^index\s+\.([A-Za-z_][\w.]*)\s+"([^"]+)"$/;

/** A Go-template expression found in a template and what it is in Handlebars. */
export interface GoExpression {
  found: string;
  handlebars: string;
}

/**
 * The Handlebars form of one `{{…}}` expression when it is written the Go-template way (`{{.name}}`,
 * `{{index .metadata.labels "env"}}`), or undefined when it already reads as Handlebars.
 */
export function handlebarsFormOf(expression: string): string | undefined {
  const inner = /^\{\{-?\s*(.*?)\s*-?\}\}$/.exec(expression)?.[1];
  if (inner === undefined) return undefined;
  const field = GO_FIELD.exec(inner);
  if (field !== null) return `{{${field[1]}}}`;
  const index = GO_INDEX.exec(inner);
  if (index !== null) return `{{${index[1]}.${index[2]}}}`;
  // Pipelines and functions have no one-to-one form; dropping the leading dots gets the parameter names right.
  if (/(^|[\s(|])\.[A-Za-z_]/.test(inner)) return `{{${inner.replace(/(^|[\s(|])\.([A-Za-z_])/g, "$1$2")}}}`;
  return undefined;
}

/** The first Go-template expression in any string of `value` (walked in document order). */
export function firstGoExpression(value: unknown): GoExpression | undefined {
  if (typeof value === "string") {
    for (const match of value.matchAll(EXPRESSION)) {
      const handlebars = handlebarsFormOf(match[0]);
      if (handlebars !== undefined) return { found: match[0], handlebars };
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstGoExpression(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) {
      const found = firstGoExpression(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
