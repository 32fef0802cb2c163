import type Handlebars from "handlebars";
import type { TemplateErrorCode } from "./errors.ts";

type Program = hbs.AST.Program;
type Node = hbs.AST.Node;
type Path = hbs.AST.PathExpression;
type Sexpr = { path: Node; params: Node[]; hash: hbs.AST.Hash | undefined };

// These helpers ask whether a key is there; a missing key is their answer, not an error.
const PRESENCE_HELPERS = new Set(["if", "unless", "default"]);
// Blocks that keep the caller's context, so `../` and root lookups inside them are unchanged.
const SAME_CONTEXT_BLOCKS = new Set(["if", "unless"]);

/** Thrown for templates that parse but that we refuse to compile. */
export class UnsupportedTemplateError extends Error {
  readonly code: TemplateErrorCode;

  constructor(message: string, code: TemplateErrorCode = "InvalidTemplate") {
    super(message);
    this.code = code;
  }
}

/**
 * Makes a parsed template look up parameters the way Argo CD's fasttemplate names them.
 *
 * Params are flat: the key "metadata.labels.env" is one key, and "path" (a string) sits next to
 * "path.basename". A dotted path that resolves against the root params is therefore rewritten into a single
 * literal part, so `{{metadata.labels.env}}` reads `params["metadata.labels.env"]` and never walks nested objects.
 * Inside blocks that change the context (`#each`, `#with`) a dotted path walks the nested value as usual, which
 * is how nested param values (`path.segments`, maps from Git files) stay reachable.
 *
 * It also makes helper arguments strict (Handlebars is strict only for plain mustaches) so that
 * `{{lower missing}}` names the missing key, and it rejects partials and decorators: no template needs them,
 * and inline partials can recurse without end.
 */
export function rewriteProgram(program: Program, maxNesting: number, helpers: ReadonlySet<string>): Program {
  new Rewriter(maxNesting, helpers).program(program, 0, 0);
  return program;
}

class Rewriter {
  private readonly maxNesting: number;
  private readonly helpers: ReadonlySet<string>;

  constructor(maxNesting: number, helpers: ReadonlySet<string>) {
    this.maxNesting = maxNesting;
    this.helpers = helpers;
  }

  program(program: Program | undefined, contextDepth: number, nesting: number): void {
    if (!program) return;
    if (nesting > this.maxNesting) {
      throw new UnsupportedTemplateError(`template nests blocks deeper than ${this.maxNesting} levels`, "TooLarge");
    }
    for (const statement of program.body) this.statement(statement, contextDepth, nesting);
  }

  private statement(node: Node, contextDepth: number, nesting: number): void {
    switch (node.type) {
      case "ContentStatement":
      case "CommentStatement":
        return;
      case "MustacheStatement":
        this.call(node as hbs.AST.MustacheStatement as unknown as Sexpr, contextDepth, nesting);
        return;
      case "BlockStatement": {
        const block = node as hbs.AST.BlockStatement;
        this.call(block as unknown as Sexpr, contextDepth, nesting);
        const name = block.path.parts.length === 1 ? block.path.parts[0] : undefined;
        const inner = name !== undefined && SAME_CONTEXT_BLOCKS.has(name) ? contextDepth : contextDepth + 1;
        this.program(block.program, inner, nesting + 1);
        // Inverse sections (`{{else}}`) run with the caller's context.
        this.program(block.inverse, contextDepth, nesting + 1);
        return;
      }
      case "PartialStatement":
      case "PartialBlockStatement":
        throw new UnsupportedTemplateError("partials are not supported");
      default:
        throw new UnsupportedTemplateError(`${describe(node.type)} are not supported`);
    }
  }

  private call(sexpr: Sexpr, contextDepth: number, nesting: number): void {
    if (nesting > this.maxNesting) {
      throw new UnsupportedTemplateError(`template nests blocks deeper than ${this.maxNesting} levels`, "TooLarge");
    }
    const helper = sexpr.path.type === "PathExpression" ? (sexpr.path as Path) : undefined;
    const isCall = sexpr.params.length > 0 || (sexpr.hash?.pairs.length ?? 0) > 0;
    // A helper name is not a parameter lookup; only rewrite the path when it is a value. Params are data, never
    // functions, so a call to anything but a registered helper can only fail: say so at compile time.
    if (helper && !isCall) this.path(helper, contextDepth);
    if (helper && isCall && !(helper.parts.length === 1 && !helper.data && this.helpers.has(helper.parts[0] ?? ""))) {
      throw new UnsupportedTemplateError(`unknown helper ${JSON.stringify(helper.original)}`, "UnknownHelper");
    }
    const strict = !(helper && helper.parts.length === 1 && PRESENCE_HELPERS.has(helper.parts[0] ?? ""));
    for (const param of sexpr.params) this.argument(param, contextDepth, nesting, strict);
    for (const pair of sexpr.hash?.pairs ?? []) this.argument(pair.value, contextDepth, nesting, strict);
  }

  private argument(node: Node, contextDepth: number, nesting: number, strict: boolean): void {
    if (node.type === "SubExpression") {
      this.call(node as hbs.AST.SubExpression as unknown as Sexpr, contextDepth, nesting + 1);
    } else if (node.type === "PathExpression") {
      const path = node as Path & { strict?: boolean };
      this.path(path, contextDepth);
      // Handlebars' compiler reads `strict` from the node; set for mustache paths, we set it for arguments.
      if (strict) path.strict = true;
    }
  }

  private path(path: Path, contextDepth: number): void {
    if (path.data) {
      // `@root.metadata.labels.env` names the same flat key at the root.
      if (path.parts[0] === "root" && path.parts.length > 2) {
        path.parts = ["root", path.parts.slice(1).join(".")];
      }
      return;
    }
    if (path.depth > 0 && path.depth === contextDepth) {
      // `../x` climbing back to the root becomes `@root.x`: same value, but Handlebars then needs no context stack,
      // whose loose `context != parent` comparison throws on null-prototype params.
      const flat = path.parts.join(".");
      path.data = true;
      path.depth = 0;
      path.parts = flat ? ["root", flat] : ["root"];
      path.original = flat ? `@root.${flat}` : "@root";
      return;
    }
    if (path.depth === contextDepth && path.parts.length > 1) {
      const flat = path.parts.join(".");
      path.parts = [flat];
      if (!/^(\.|this\b)/.test(path.original)) path.original = flat;
    }
  }
}

function describe(type: string): string {
  return type === "Decorator" || type === "DecoratorBlock" ? "decorators" : `${type} nodes`;
}

export type HandlebarsEnv = typeof Handlebars;
