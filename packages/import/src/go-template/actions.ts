import { ConversionError } from "../conversion-error.ts";
import { clip } from "../fasttemplate.ts";

/** A piece of a Go template: text as it will be printed (trim markers applied), or one `{{…}}` action. */
export type Piece =
  | { kind: "text"; text: string; offset: number }
  | { kind: "action"; body: string; offset: number; bodyOffset: number; source: string };

/**
 * Splits a Go template into text and actions, applying `{{-` / `-}}` whitespace trimming to the neighbouring text
 * as text/template does, and dropping comments. String literals inside actions may hold `}}`.
 */
export function splitActions(text: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= text.length) {
    const open = text.indexOf("{{", i);
    let literal = open === -1 ? text.slice(i) : text.slice(i, open);
    const literalOffset = i;
    if (trimNext) literal = literal.replace(/^[ \t\r\n]+/, "");
    if (open === -1) {
      if (literal !== "") pieces.push({ kind: "text", text: literal, offset: literalOffset });
      break;
    }
    const trimLeft = /^\{\{- /.test(text.slice(open, open + 4)) || /^\{\{-[\t\r\n]/.test(text.slice(open, open + 4));
    if (trimLeft) literal = literal.replace(/[ \t\r\n]+$/, "");
    if (literal !== "") pieces.push({ kind: "text", text: literal, offset: literalOffset });
    const bodyStart = open + (trimLeft ? 3 : 2);
    const close = actionEnd(text, bodyStart, open);
    const trimRight = close - 2 >= bodyStart && /[ \t\r\n]-$/.test(text.slice(close - 2, close));
    const body = text.slice(bodyStart, trimRight ? close - 1 : close);
    trimNext = trimRight;
    const source = text.slice(open, close + 2);
    if (!/^\s*\/\*[\s\S]*\*\/\s*$/.test(body)) {
      pieces.push({ kind: "action", body, offset: open, bodyOffset: bodyStart, source });
    }
    i = close + 2;
  }
  return pieces;
}

/** Index of the `}}` closing the action opened at `open`, skipping string, raw-string and comment contents. */
function actionEnd(text: string, from: number, open: number): number {
  let j = from;
  while (j < text.length) {
    const c = text[j];
    if (c === '"' || c === "`" || c === "'") {
      j = literalEnd(text, j, open);
      continue;
    }
    if (c === "/" && text[j + 1] === "*") {
      const end = text.indexOf("*/", j + 2);
      if (end === -1) break;
      j = end + 2;
      continue;
    }
    if (c === "}" && text[j + 1] === "}") return j;
    j++;
  }
  throw new ConversionError({ offset: open, expression: clip(text.slice(open)), reason: "unclosed action: no }}" });
}

function literalEnd(text: string, start: number, open: number): number {
  const quote = text[start];
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j];
    if (quote !== "`" && c === "\\") {
      j++;
      continue;
    }
    if (c === quote) return j + 1;
    if (quote !== "`" && c === "\n") break;
  }
  throw new ConversionError({
    offset: start,
    expression: clip(text.slice(open, start + 40)),
    reason: "unterminated quoted string",
  });
}
