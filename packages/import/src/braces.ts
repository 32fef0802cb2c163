/**
 * Appends literal text after converted template output. Handlebars reads `}}}` as a closing triple-stash, so
 * `{a: {{x}}}` (valid in both Argo CD syntaxes) would not parse: braces right after a mustache are written as
 * a string constant instead (`{{x}}{{trim "}"}}`), which renders the same characters.
 */
export function appendText(out: string, text: string): string {
  if (!out.endsWith("}}") || !text.startsWith("}")) return out + text;
  const braces = /^\}+/.exec(text)![0];
  return `${out}{{trim "${braces}"}}${text.slice(braces.length)}`;
}
