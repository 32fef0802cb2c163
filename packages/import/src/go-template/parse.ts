import type { Token } from "./lexer.ts";

/** A Go template value: a parameter (field path), a constant, or a function call (pipelines folded into calls). */
export type Expr =
  | { e: "field"; path: (string | number)[]; at: number; text: string }
  | { e: "literal"; value: string | number | boolean | null; at: number }
  | { e: "call"; fn: string; args: Expr[]; at: number };

/** What one action is. */
export type Action =
  | { a: "output"; expr: Expr }
  | { a: "if"; cond: Expr }
  | { a: "else-if"; cond: Expr }
  | { a: "else" }
  | { a: "end" };

/** A construct the converter does not support; `at` is an offset in the action body. */
export class UnsupportedSyntax extends Error {
  readonly at: number;

  constructor(at: number, reason: string) {
    super(reason);
    this.at = at;
  }
}

const BLOCKS_REFUSED: Record<string, string> = {
  range: "range loops have no Flotilla form (Flotilla's {{#each}} differs in scope; write the list out)",
  with: "with blocks are not supported; name the fields in full",
  define: "named templates are not supported",
  template: "named templates are not supported",
  block: "named templates are not supported",
  break: "break is only for range loops, which are not supported",
  continue: "continue is only for range loops, which are not supported",
};

export function parseAction(tokens: readonly Token[]): Action {
  const first = tokens[0];
  if (first === undefined) throw new UnsupportedSyntax(0, "empty action");
  if (first.t === "ident") {
    const refused = BLOCKS_REFUSED[first.name];
    if (refused !== undefined) throw new UnsupportedSyntax(first.at, refused);
    if (first.name === "end") {
      expectEnd(tokens, 1);
      return { a: "end" };
    }
    if (first.name === "if") return { a: "if", cond: pipelineOf(tokens, 1, first.at) };
    if (first.name === "else") {
      const next = tokens[1];
      if (next === undefined) return { a: "else" };
      if (next.t === "ident" && next.name === "if") return { a: "else-if", cond: pipelineOf(tokens, 2, next.at) };
      throw new UnsupportedSyntax(next.at, "only {{else}} and {{else if …}} are supported");
    }
  }
  return { a: "output", expr: pipelineOf(tokens, 0, first.at) };
}

function expectEnd(tokens: readonly Token[], from: number): void {
  const extra = tokens[from];
  if (extra !== undefined) throw new UnsupportedSyntax(extra.at, `unexpected ${JSON.stringify(extra.text)}`);
}

function pipelineOf(tokens: readonly Token[], from: number, at: number): Expr {
  const parser = new Parser(tokens, from);
  const expr = parser.pipeline(at);
  const rest = parser.peek();
  if (rest !== undefined) throw new UnsupportedSyntax(rest.at, `unexpected ${JSON.stringify(rest.text)}`);
  return expr;
}

class Parser {
  private i: number;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[], from: number) {
    this.tokens = tokens;
    this.i = from;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** `cmd | cmd args | …`: each stage's result becomes the last argument of the next, as in text/template. */
  pipeline(at: number): Expr {
    let expr = this.command(at);
    while (this.peek()?.t === "pipe") {
      const pipe = this.tokens[this.i++]!;
      const stage = this.command(pipe.at);
      if (stage.e !== "call") {
        throw new UnsupportedSyntax(pipe.at, "a pipeline stage must be a function call");
      }
      expr = { ...stage, args: [...stage.args, expr] };
    }
    return expr;
  }

  private command(at: number): Expr {
    const head = this.peek();
    if (head === undefined || head.t === "pipe" || head.t === "close") {
      throw new UnsupportedSyntax(head?.at ?? at, "missing value");
    }
    if (head.t === "ident" && !isConstant(head.name)) {
      this.i++;
      const args: Expr[] = [];
      while (this.startsOperand()) args.push(this.operand());
      return { e: "call", fn: head.name, args, at: head.at };
    }
    const value = this.operand();
    if (this.startsOperand()) {
      const next = this.peek()!;
      throw new UnsupportedSyntax(next.at, `${JSON.stringify(next.text)}: only a function takes arguments`);
    }
    return value;
  }

  private startsOperand(): boolean {
    const t = this.peek()?.t;
    return t !== undefined && t !== "pipe" && t !== "close";
  }

  private operand(): Expr {
    const token = this.tokens[this.i++]!;
    switch (token.t) {
      case "field":
        return { e: "field", path: token.path, at: token.at, text: token.text };
      case "variable":
        if (token.name !== "") {
          throw new UnsupportedSyntax(token.at, `variables (${token.text}) are not supported; name the field in full`);
        }
        // `$` is the root, which is `.` wherever no range or with moved it (and those are refused).
        return { e: "field", path: token.path, at: token.at, text: token.text };
      case "string":
        return { e: "literal", value: token.value, at: token.at };
      case "number":
        return { e: "literal", value: token.value, at: token.at };
      case "ident":
        if (isConstant(token.name)) {
          const value = token.name === "true" ? true : token.name === "false" ? false : null;
          return { e: "literal", value, at: token.at };
        }
        // A function name as an argument is a call with no arguments (`default (now) .x`-like forms).
        return { e: "call", fn: token.name, args: [], at: token.at };
      case "open": {
        const inner = this.pipeline(token.at);
        const close = this.tokens[this.i++];
        if (close?.t !== "close") throw new UnsupportedSyntax(close?.at ?? token.at, "missing )");
        const after = this.peek();
        if (after?.t === "field" && after.at === close.at + 1) {
          throw new UnsupportedSyntax(after.at, "a field of a parenthesised value is not supported");
        }
        return inner;
      }
      default:
        throw new UnsupportedSyntax(token.at, `${JSON.stringify(token.text)} is not supported here`);
    }
  }
}

function isConstant(name: string): boolean {
  return name === "true" || name === "false" || name === "nil";
}
