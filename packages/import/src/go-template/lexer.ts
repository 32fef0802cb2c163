/** One token of a Go template action. `at` is its offset inside the action body. */
export type Token =
  | { t: "field"; path: string[]; at: number; text: string }
  | { t: "variable"; name: string; path: string[]; at: number; text: string }
  | { t: "ident"; name: string; at: number; text: string }
  | { t: "string"; value: string; at: number; text: string }
  | { t: "number"; value: number; at: number; text: string }
  | { t: "pipe" | "open" | "close"; at: number; text: string }
  | { t: "other"; at: number; text: string };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const FIELD_CHAIN = /(\.[A-Za-z_][A-Za-z0-9_]*)+/y;
const NUMBER = /[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?(?![\w.])/y;

/** Splits an action body into tokens; what this converter does not know becomes an `other` token. */
export function lex(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (/[ \t\r\n]/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === "|" || c === "(" || c === ")") {
      tokens.push({ t: c === "|" ? "pipe" : c === "(" ? "open" : "close", at, text: c });
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = goString(body, i);
      tokens.push({ t: "string", value, at, text: body.slice(at, end) });
      i = end;
      continue;
    }
    if (c === "`") {
      const end = body.indexOf("`", i + 1);
      const stop = end === -1 ? body.length : end + 1;
      tokens.push({ t: "string", value: body.slice(i + 1, stop - 1), at, text: body.slice(at, stop) });
      i = stop;
      continue;
    }
    if (c === ".") {
      FIELD_CHAIN.lastIndex = i;
      const m = FIELD_CHAIN.exec(body);
      if (m) {
        tokens.push({ t: "field", path: m[0].slice(1).split("."), at, text: m[0] });
        i += m[0].length;
      } else {
        tokens.push({ t: "field", path: [], at, text: "." });
        i++;
      }
      continue;
    }
    if (c === "$") {
      IDENT.lastIndex = i + 1;
      const name = IDENT.exec(body)?.[0] ?? "";
      let end = i + 1 + name.length;
      FIELD_CHAIN.lastIndex = end;
      const chain = FIELD_CHAIN.exec(body)?.[0] ?? "";
      end += chain.length;
      const path = chain === "" ? [] : chain.slice(1).split(".");
      tokens.push({ t: "variable", name, path, at, text: body.slice(at, end) });
      i = end;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(body);
    if (number) {
      tokens.push({ t: "number", value: Number(number[0]), at, text: number[0] });
      i += number[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(body);
    if (ident) {
      tokens.push({ t: "ident", name: ident[0], at, text: ident[0] });
      i += ident[0].length;
      continue;
    }
    let end = i + 1;
    while (end < body.length && !/[\s|()"`]/.test(body[end]!)) end++;
    tokens.push({ t: "other", at, text: body.slice(i, end) });
    i = end;
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", a: "\x07" };

/** A Go interpreted string literal starting at `start`; escapes beyond the common ones keep their text. */
function goString(body: string, start: number): { value: string; end: number } {
  let value = "";
  for (let j = start + 1; j < body.length; j++) {
    const c = body[j]!;
    if (c === '"') return { value, end: j + 1 };
    if (c === "\\") {
      const next = body[j + 1] ?? "";
      value += ESCAPES[next] ?? `\\${next}`;
      j++;
      continue;
    }
    value += c;
  }
  return { value, end: body.length };
}
