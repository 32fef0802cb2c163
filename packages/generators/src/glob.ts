/** A path pattern that is malformed (an unclosed `[`, a trailing `\`). */
export class BadPatternError extends Error {}

export type PathMatcher = (path: string) => boolean;

/**
 * Compiles a repository path pattern.
 *
 * Without `doubleStar` this is Go's `path.Match`, which Argo CD uses for git directories: `*` and `?` never
 * cross a `/`, `[abc]`, `[a-z]` and `[^x]` classes, `\` escapes. With `doubleStar` (git files, as Argo CD's
 * "new globbing"), a `**` segment also matches any number of whole directories, including none.
 * A leading `/` or `./` is ignored: repository paths are relative to the root.
 */
export function compilePathPattern(pattern: string, doubleStar: boolean): PathMatcher {
  const source = pattern.replace(/^(\.\/|\/)+/, "");
  let re = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (doubleStar && c === "*" && source[i + 1] === "*" && (i === 0 || source[i - 1] === "/")) {
      const end = i + 2;
      if (end === source.length) {
        re += ".*";
        i = end - 1;
        continue;
      }
      if (source[end] === "/") {
        re += "(?:[^/]*/)*";
        i = end;
        continue;
      }
    }
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      const next = source[++i];
      if (next === undefined) throw new BadPatternError(`pattern ${JSON.stringify(pattern)} ends with a lone \\`);
      re += escapeRegExp(next);
    } else if (c === "[") {
      const close = classEnd(source, i);
      if (close === -1) throw new BadPatternError(`pattern ${JSON.stringify(pattern)} has an unclosed [`);
      re += classToRegExp(source.slice(i + 1, close));
      i = close;
    } else re += escapeRegExp(c);
  }
  const compiled = new RegExp(`^${re}$`, "s");
  return (path) => compiled.test(path);
}

function classEnd(source: string, open: number): number {
  let j = open + 1;
  if (source[j] === "^" || source[j] === "!") j++;
  // A `]` right after the opening bracket is a literal in most globs, but path.Match treats `[]` as bad.
  for (; j < source.length; j++) {
    if (source[j] === "\\") j++;
    else if (source[j] === "]") return j > open + 1 ? j : -1;
  }
  return -1;
}

function classToRegExp(body: string): string {
  const negate = body.startsWith("^") || body.startsWith("!");
  const inner = (negate ? body.slice(1) : body).replace(/\\(.)/g, "$1").replace(/[\\\]^]/g, "\\$&");
  if (inner === "") throw new BadPatternError("empty character class");
  // Classes never match `/`, as in path.Match.
  return negate ? `[^/${inner}]` : `(?!/)[${inner}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
