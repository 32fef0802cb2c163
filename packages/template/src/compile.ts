import Handlebars from "handlebars";
import type { TemplateErrorCode } from "./errors.ts";
import { HELPER_NAMES, registerHelpers } from "./helpers.ts";
import { rewriteIndexedPaths } from "./indexed-paths.ts";
import type { TemplateLimits } from "./limits.ts";
import { rewriteProgram, UnsupportedTemplateError } from "./rewrite-ast.ts";
import { installStrictCompiler } from "./strict-compiler.ts";

/**
 * A template ready to render. Most fleet templates are text with plain parameter references
 * (`{{path.basename}}-{{name}}`); those skip the Handlebars runtime and become a list of pieces, which is
 * several times faster on the 100,000-application hot path and behaves the same (tested side by side).
 */
export type CompiledTemplate =
  | { kind: "pieces"; pieces: readonly Piece[] }
  | { kind: "handlebars"; render: (params: object) => string }
  | { kind: "invalid"; reason: string; code?: TemplateErrorCode };

/** Literal text, or the flat parameter key whose value goes there. */
export type Piece = { text: string } | { key: string };

const env = Handlebars.create();
registerHelpers(env);
installStrictCompiler(env);

// Handlebars' default entry point re-merges and re-wraps every helper on every call (~6 µs), which alone would
// cost seconds per generation. Calling a template the way Handlebars calls partials (`partial: true`) takes the
// prepared runtime below as is. That runtime is built once, with the same content the default path would build:
// helperMissing/blockHelperMissing moved to hooks, and a prototype-access policy that denies every inherited
// property and method (the defaults, made explicit so that nothing is logged). The builtin that reads
// `options.lookupProperty` (lookup) is replaced by our own, so helpers need no per-call wrapping either.
// Tests in render-string.test.ts pin this behaviour down (prototype access, missing keys, @root, each).
const { helperMissing, blockHelperMissing, ...callableHelpers } = env.helpers;
const denyAll = () => ({ whitelist: Object.create(null) as Record<string, boolean>, defaultValue: false });
const RUNTIME = Object.freeze({
  partial: true,
  helpers: Object.freeze(callableHelpers),
  partials: Object.freeze({}),
  decorators: Object.freeze({}),
  hooks: Object.freeze({ helperMissing, blockHelperMissing }),
  protoAccessControl: Object.freeze({ properties: denyAll(), methods: denyAll() }),
});

const CACHE_MAX = 10_000;
const cache = new Map<string, CompiledTemplate>();

/** Compiles once per distinct template text; invalid templates are cached too, so a bad one fails fast. */
export function compileTemplate(template: string, limits: TemplateLimits): CompiledTemplate {
  const hit = cache.get(template);
  if (hit) return hit;
  const compiled = compileUncached(template, limits);
  // Insertion order makes the oldest entry the first key; dropping it bounds memory against hostile input.
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(template, compiled);
  return compiled;
}

function compileUncached(template: string, limits: TemplateLimits): CompiledTemplate {
  let program: hbs.AST.Program;
  try {
    program = env.parse(rewriteIndexedPaths(template));
  } catch (err) {
    return { kind: "invalid", reason: syntaxReason(err) };
  }
  try {
    rewriteProgram(program, limits.maxNesting, HELPER_NAMES);
  } catch (err) {
    if (err instanceof UnsupportedTemplateError) return { kind: "invalid", reason: err.message, code: err.code };
    throw err;
  }
  const pieces = asPieces(program);
  if (pieces) return { kind: "pieces", pieces };
  try {
    const render = env.compile(program, { strict: true, noEscape: true, knownHelpersOnly: false });
    const call = render as unknown as (context: object, options: object) => string;
    return { kind: "handlebars", render: (params) => call(params, { ...RUNTIME, data: { root: params } }) };
  } catch (err) {
    return { kind: "invalid", reason: syntaxReason(err) };
  }
}

function asPieces(program: hbs.AST.Program): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const node of program.body) {
    if (node.type === "ContentStatement") {
      pieces.push({ text: (node as hbs.AST.ContentStatement).value });
      continue;
    }
    if (node.type === "CommentStatement") continue;
    if (node.type !== "MustacheStatement") return undefined;
    const mustache = node as hbs.AST.MustacheStatement;
    if (mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0) return undefined;
    if (mustache.path.type !== "PathExpression") return undefined;
    const path = mustache.path as hbs.AST.PathExpression;
    const key = path.parts[0];
    if (path.data || path.depth !== 0 || path.parts.length !== 1 || key === undefined) return undefined;
    // A bare `{{name}}` calls a helper of that name first; leave those to Handlebars.
    if (HELPER_NAMES.has(key)) return undefined;
    pieces.push({ key });
  }
  return pieces;
}

// Handlebars exports its jison parser but does not type it; after a failed parse its lexer holds the position.
type ParserHolder = { Parser?: { lexer?: { yylloc?: { first_column?: number } } } };

/** Handlebars' parse errors are multi-line; keep the position and the "expecting … got …" line. */
function syntaxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const parse = /^Parse error on line (\d+):[\s\S]*\n(Expecting .*)$/.exec(message);
  if (parse) {
    const loc = (Handlebars as unknown as ParserHolder).Parser?.lexer?.yylloc;
    const column = loc?.first_column === undefined ? "" : `, column ${loc.first_column + 1}`;
    return `syntax error at line ${parse[1]}${column}: ${parse[2]?.replace(/^Expecting/, "expecting")}`;
  }
  const located = /^(.*) - (\d+):(\d+)$/.exec(message);
  if (located) return `syntax error at line ${located[2]}, column ${Number(located[3]) + 1}: ${located[1]}`;
  return `syntax error: ${message.split("\n")[0]}`;
}
