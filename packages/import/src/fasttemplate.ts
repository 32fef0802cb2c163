import { appendText } from "./braces.ts";
import { ConversionError, ParamNameError } from "./conversion-error.ts";
import { handlebarsPath, keyOfFastName, type ParamScope } from "./param-scope.ts";

/**
 * Converts an Argo CD fasttemplate string (`{{name}}-{{metadata.labels.env}}`) into a Flotilla template. Flotilla
 * reads the same parameter names, so a `{{key}}` stays `{{key}}` unless the key needs Handlebars' literal form.
 * Anything that is not a plain parameter name between `{{` and `}}` is refused: Argo CD would leave it in the
 * output as text, but Handlebars would run it (`{{#each}}`, `{{> partial}}`, `{{lookup …}}`), which is a change
 * of meaning, and a template author who wrote it meant something neither system does.
 */
export function convertFastTemplate(text: string, scope: ParamScope): string {
  if (!text.includes("{{")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open === -1) break;
    const close = text.indexOf("}}", open + 2);
    if (close === -1) {
      throw new ConversionError({
        offset: open,
        expression: clip(text.slice(open)),
        reason: "no closing }} (Argo CD refuses this template too)",
      });
    }
    const literal = text.slice(i, open);
    if (literal.endsWith("\\")) {
      throw new ConversionError({
        offset: open - 1,
        expression: clip(text.slice(open - 1, close + 2)),
        reason: "a backslash right before {{ escapes the expression in Flotilla's templates; it has no faithful form",
      });
    }
    out = appendText(out, literal);
    const expression = text.slice(open, close + 2);
    const name = text.slice(open + 2, close).trim();
    if (!/^[^\s{}]+$/.test(name)) {
      throw new ConversionError({
        offset: open,
        expression: clip(expression),
        reason: "not a parameter name; fasttemplate expressions are {{name}} only (set goTemplate: true for functions)",
      });
    }
    try {
      out += `{{${handlebarsPath(keyOfFastName(name, scope))}}}`;
    } catch (err) {
      if (err instanceof ParamNameError) {
        throw new ConversionError({ offset: open, expression: clip(expression), reason: err.message });
      }
      throw err;
    }
    i = close + 2;
  }
  return appendText(out, text.slice(i));
}

/** Expressions quoted in messages are cut short: a hostile template must not flood the terminal. */
export function clip(expression: string): string {
  return expression.length > 120 ? `${expression.slice(0, 117)}...` : expression;
}
