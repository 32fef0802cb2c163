// Argo CD's fasttemplate names path segments `path[0]`, `path[1]` …; Handlebars' lexer rejects `[` right after an
// identifier, so such a reference would be a syntax error. Inside mustaches only (never in literal text, string
// literals or comments) we turn `ident[n]` into Handlebars' literal-segment form `[ident[n\]]`, which the parser
// reads as one path part named exactly `ident[n]` — the flat key the git generator produces.
const INDEXED = /(^|[\s(=|])([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*)\[(\d{1,6})\](?=[\s)}|~]|$)/g;

/** Rewrites `{{path[0]}}`-style references; returns the input itself when there is nothing to rewrite. */
export function rewriteIndexedPaths(template: string): string {
  if (!/\w\[\d/.test(template)) return template;
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open === -1) break;
    if (isEscaped(template, open)) {
      out += template.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    const comment = commentEnd(template, open);
    if (comment !== -1) {
      out += template.slice(i, comment);
      i = comment;
      continue;
    }
    const close = mustacheEnd(template, open + 2);
    out += template.slice(i, open + 2) + rewriteInside(template.slice(open + 2, close));
    i = close;
  }
  return out + template.slice(i);
}

function isEscaped(text: string, at: number): boolean {
  return at > 0 && text[at - 1] === "\\" && !(at > 1 && text[at - 2] === "\\");
}

/** End (exclusive) of a `{{! }}` or `{{!-- --}}` comment starting at `open`, or -1 when it is not a comment. */
function commentEnd(text: string, open: number): number {
  const bang = text[open + 2] === "~" ? open + 3 : open + 2;
  if (text[bang] !== "!") return -1;
  const long = text.startsWith("--", bang + 1);
  const end = long ? /--~?\}\}/g : /\}\}/g;
  end.lastIndex = long ? bang + 3 : bang + 1;
  const found = end.exec(text);
  return found ? found.index + found[0].length : text.length;
}

/** Index of the `}}` closing the mustache that starts at `from`, skipping string literals. */
function mustacheEnd(text: string, from: number): number {
  let quote = "";
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === "\\") j++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "}" && text[j + 1] === "}") return j;
  }
  return text.length;
}

function rewriteInside(inner: string): string {
  // Split on string literals so that `"path[0]"` inside quotes stays literal text.
  return inner
    .split(/("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/)
    .map((part, k) => (k % 2 === 1 ? part : part.replace(INDEXED, "$1[$2[$3\\]]")))
    .join("");
}
