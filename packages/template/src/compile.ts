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
  | Invalid;

type Invalid = { kind: "invalid"; reason: string; code?: TemplateErrorCode };

/** Literal text, or the flat parameter key whose value goes there. */
export type Piece = { text: string } | { key: string };

const env = Handlebars.create();
registerHelpers(env);
installStrictCompiler(env);

/**
 * In YAML text (see `yaml-text.ts`) every output goes through this helper: it records the value and puts a
 * placeholder in the text, so that the text is parsed as YAML before any parameter value is in it.
 */
export const SLOT_HELPER = "flotillaYamlSlot";
/** Placeholder delimiters: private-use characters, valid in any YAML scalar, and refused in template text. */
export const SLOT_OPEN = "\uE000";
export const SLOT_CLOSE = "\uE001";
env.registerHelper(SLOT_HELPER, (value: unknown, options: { data?: { yamlSlots?: string[] } }) => {
  const slots = options.data?.yamlSlots;
  if (slots === undefined) throw new Error(`${SLOT_HELPER} is for YAML text only`);
  slots.push(value === null || value === undefined ? "" : String(value));
  return `${SLOT_OPEN}${slots.length - 1}${SLOT_CLOSE}`;
});
const SLOTTED_HELPER_NAMES: ReadonlySet<string> = new Set([...HELPER_NAMES, SLOT_HELPER]);

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

/** Compiles once per distinct template text; invalid templates are cached too, so a bad one fails fast. */
function cachedByText<T>(compile: (template: string, limits: TemplateLimits) => T) {
  const cache = new Map<string, T>();
  return (template: string, limits: TemplateLimits): T => {
    const hit = cache.get(template);
    if (hit) return hit;
    const compiled = compile(template, limits);
    // Insertion order makes the oldest entry the first key; dropping it bounds memory against hostile input.
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(template, compiled);
    return compiled;
  };
}

type CompiledProgram = (context: object, options: object) => string;
const isInvalid = (value: object): value is Invalid => "kind" in value;

/** Parses and checks a template; `prepare` reshapes the tree before the check (which must see the result). */
function parseChecked(
  template: string,
  options: { maxNesting: number; helperNames: ReadonlySet<string>; prepare?: (program: hbs.AST.Program) => void },
): hbs.AST.Program | Invalid {
  let program: hbs.AST.Program;
  try {
    program = env.parse(rewriteIndexedPaths(template));
  } catch (err) {
    return { kind: "invalid", reason: syntaxReason(err) };
  }
  try {
    options.prepare?.(program);
    rewriteProgram(program, options.maxNesting, options.helperNames);
  } catch (err) {
    if (err instanceof UnsupportedTemplateError) return { kind: "invalid", reason: err.message, code: err.code };
    throw err;
  }
  return program;
}

/** Handlebars' compiled function, to be called with RUNTIME (see above) and the render's data. */
function compileProgram(program: hbs.AST.Program): CompiledProgram | Invalid {
  try {
    const render = env.compile(program, { strict: true, noEscape: true, knownHelpersOnly: false });
    return render as unknown as CompiledProgram;
  } catch (err) {
    return { kind: "invalid", reason: syntaxReason(err) };
  }
}

export const compileTemplate = cachedByText((template, limits): CompiledTemplate => {
  const program = parseChecked(template, { maxNesting: limits.maxNesting, helperNames: HELPER_NAMES });
  if (isInvalid(program)) return program;
  const pieces = asPieces(program);
  if (pieces) return { kind: "pieces", pieces };
  const call = compileProgram(program);
  if (isInvalid(call)) return call;
  return { kind: "handlebars", render: (params) => call(params, { ...RUNTIME, data: { root: params } }) };
});

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

/** A template for YAML text: renders to text holding placeholders, and the output values they stand for. */
export type SlottedTemplate =
  | { kind: "slotted"; render: (params: object) => { text: string; slots: string[] } }
  | Invalid;

/**
 * Compiles a template whose every output (`{{x}}`, `{{lower x}}`, `{{{x}}}`) is routed through `SLOT_HELPER`;
 * blocks and their conditions are untouched, so control flow sees the real values.
 */
export const compileSlottedTemplate = cachedByText((template, limits): SlottedTemplate => {
  const program = parseChecked(template, {
    maxNesting: limits.maxNesting,
    helperNames: SLOTTED_HELPER_NAMES,
    prepare: routeOutputsThroughSlots,
  });
  if (isInvalid(program)) return program;
  const call = compileProgram(program);
  if (isInvalid(call)) return call;
  return {
    kind: "slotted",
    render: (params) => {
      const slots: string[] = [];
      const text = call(params, { ...RUNTIME, data: { root: params, yamlSlots: slots } });
      return { text, slots };
    },
  };
});

/** `{{expr a b}}` becomes `{{SLOT_HELPER (expr a b)}}`, and `{{x}}` becomes `{{SLOT_HELPER x}}`, at any depth. */
function routeOutputsThroughSlots(program: hbs.AST.Program | undefined): void {
  if (!program) return;
  for (const node of program.body) {
    if (node.type === "BlockStatement") {
      const block = node as hbs.AST.BlockStatement;
      routeOutputsThroughSlots(block.program);
      routeOutputsThroughSlots(block.inverse);
      continue;
    }
    if (node.type !== "MustacheStatement") continue;
    const mustache = node as hbs.AST.MustacheStatement;
    const isCall = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
    const path = mustache.path as hbs.AST.PathExpression;
    const namesHelper =
      path.type === "PathExpression" && path.parts.length === 1 && !path.data && HELPER_NAMES.has(path.parts[0]!);
    const value: hbs.AST.Expression =
      isCall || namesHelper
        ? ({
            type: "SubExpression",
            path: mustache.path,
            params: mustache.params,
            hash: mustache.hash,
            loc: mustache.loc,
          } as unknown as hbs.AST.SubExpression)
        : mustache.path;
    mustache.path = {
      type: "PathExpression",
      data: false,
      depth: 0,
      parts: [SLOT_HELPER],
      original: SLOT_HELPER,
      loc: mustache.loc,
    } as hbs.AST.PathExpression;
    mustache.params = [value];
    mustache.hash = undefined as unknown as hbs.AST.Hash;
  }
}
