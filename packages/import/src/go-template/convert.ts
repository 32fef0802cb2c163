import { appendText } from "../braces.ts";
import { ConversionError, ParamNameError } from "../conversion-error.ts";
import { clip } from "../fasttemplate.ts";
import { handlebarsPath, keyOfGoPath, type ParamScope } from "../param-scope.ts";
import { splitActions } from "./actions.ts";
import { convertCall } from "./functions.ts";
import { lex } from "./lexer.ts";
import { type Expr, parseAction, UnsupportedSyntax } from "./parse.ts";

/**
 * Converts an Argo CD goTemplate string into a Flotilla (Handlebars) template: `{{.name}}` → `{{name}}`,
 * `{{index .metadata.labels "env"}}` → `{{metadata.labels.env}}`, `{{.path.path}}` → `{{path}}`,
 * `{{.x | default "a" | upper}}` → `{{upper (default x "a")}}`, `{{if eq .x "a"}}…{{else}}…{{end}}` →
 * `{{#if (eq x "a")}}…{{else}}…{{/if}}`. Whitespace trimming (`{{-`, `-}}`) is applied to the text here, since the
 * text is constant. Whatever has no faithful form throws a ConversionError at the expression.
 */
export function convertGoTemplate(text: string, scope: ParamScope): string {
  if (!text.includes("{{")) return text;
  const pieces = splitActions(text);
  let out = "";
  const open: { offset: number; source: string }[] = [];
  for (const [k, piece] of pieces.entries()) {
    if (piece.kind === "text") {
      const next = pieces[k + 1];
      if (piece.text.endsWith("\\") && next?.kind === "action") {
        throw new ConversionError({
          offset: next.offset,
          expression: clip(next.source),
          reason: "a backslash right before {{ escapes the expression in Flotilla's templates; it has no faithful form",
        });
      }
      out = appendText(out, piece.text);
      continue;
    }
    const fail = (at: number, reason: string) =>
      new ConversionError({ offset: piece.bodyOffset + at, expression: clip(piece.source), reason });
    try {
      const action = parseAction(lex(piece.body));
      switch (action.a) {
        case "output":
          // A constant alone is text: Handlebars would read `{{"x"}}` as a lookup of the name x.
          out =
            action.expr.e === "literal"
              ? appendText(out, constantText(action.expr.value, action.expr.at))
              : `${out}{{${emit(action.expr, scope, { top: true, condition: false })}}}`;
          break;
        case "if":
          open.push({ offset: piece.offset, source: piece.source });
          out += `{{#if ${emit(action.cond, scope, { top: false, condition: true })}}}`;
          break;
        case "else-if":
          if (open.length === 0) throw new UnsupportedSyntax(0, "else without if");
          out += `{{else if ${emit(action.cond, scope, { top: false, condition: true })}}}`;
          break;
        case "else":
          if (open.length === 0) throw new UnsupportedSyntax(0, "else without if");
          out += "{{else}}";
          break;
        case "end":
          if (open.pop() === undefined) throw new UnsupportedSyntax(0, "end without if");
          out += "{{/if}}";
          break;
      }
    } catch (err) {
      if (err instanceof UnsupportedSyntax) throw fail(err.at, err.message);
      if (err instanceof ParamNameError) throw fail(0, err.message);
      throw err;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    throw new ConversionError({ offset: unclosed.offset, expression: clip(unclosed.source), reason: "if without end" });
  }
  return out;
}

interface EmitContext {
  /** The whole mustache: a helper call needs no parentheses. */
  top: boolean;
  /** Inside an if condition, where and/or may be used. */
  condition: boolean;
}

function emit(expr: Expr, scope: ParamScope, ctx: EmitContext): string {
  switch (expr.e) {
    case "literal":
      return literal(expr.value, expr.at);
    case "field":
      return fieldPath(expr.path, scope, expr.at);
    case "call": {
      const converted = convertCall(expr, ctx.condition);
      if (converted.kind === "field") return fieldPath(converted.path, scope, expr.at);
      const inner = { top: false, condition: ctx.condition };
      const call = [converted.helper, ...converted.args.map((arg) => emit(arg, scope, inner))].join(" ");
      return ctx.top ? call : `(${call})`;
    }
  }
}

function fieldPath(path: (string | number)[], scope: ParamScope, at: number): string {
  try {
    return handlebarsPath(keyOfGoPath(path, scope));
  } catch (err) {
    if (err instanceof ParamNameError) throw new UnsupportedSyntax(at, err.message);
    throw err;
  }
}

function constantText(value: string | number | boolean | null, at: number): string {
  if (value === null) throw new UnsupportedSyntax(at, "nil is not a value to print");
  const text = String(value);
  if (text.includes("{{") || text.endsWith("\\")) {
    throw new UnsupportedSyntax(
      at,
      "a constant holding {{ or ending in a backslash has no faithful form in a Flotilla template",
    );
  }
  return text;
}

/** A constant in Handlebars' syntax; Handlebars strings know one escape (`\"`), so some texts cannot be written. */
function literal(value: string | number | boolean | null, at: number): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  if (/\\$|\\"/.test(value)) {
    throw new UnsupportedSyntax(
      at,
      "a string ending in a backslash, or with a backslash before a quote, has no Handlebars form",
    );
  }
  return `"${value.replaceAll('"', '\\"')}"`;
}
