import { dns1123SubdomainProblem } from "./names.ts";

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Why `key` is not a Kubernetes label key (an optional DNS-1123 subdomain prefix and '/', then a name of at most 63
 * letters, digits, '-', '_' and '.', starting and ending with a letter or digit), or undefined when it is.
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefixProblem = dns1123SubdomainProblem(key.slice(0, slash));
    if (prefixProblem !== undefined)
      return `has an invalid prefix (it ${prefixProblem.replace(/^expected/, "should have")})`;
  }
  if (name.length === 0) return "has an empty name; expected [prefix/]name";
  if (name.length > 63) return `has a name of ${name.length} characters; expected at most 63`;
  if (!LABEL_NAME.test(name)) {
    return "expected [prefix/]name, the name made of letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value (empty, or as a label key's name part), or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63) return `is ${value.length} characters; expected at most 63`;
  if (!LABEL_NAME.test(value)) {
    return "expected at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)";
  }
  return undefined;
}
