import { type LabelSelector, labelKeyProblem, labelValueProblem } from "@flotilla/core";

/** A label selector string that does not parse: where (1-based column) and what was expected there. */
export class SelectorSyntaxError extends Error {
  override readonly name = "SelectorSyntaxError";
  readonly column: number;
  readonly reason: string;

  constructor(column: number, reason: string) {
    super(`column ${column}: ${reason}`);
    this.column = column;
    this.reason = reason;
  }
}

type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "op"; text: "=" | "==" | "!=" | "!" | "," | "(" | ")"; at: number }
  | { kind: "end"; at: number };

const WORD = /[A-Za-z0-9._/-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const at = i + 1;
    if (WORD.test(c)) {
      let j = i;
      while (j < text.length && WORD.test(text[j] as string)) j++;
      tokens.push({ kind: "word", text: text.slice(i, j), at });
      i = j;
    } else if (c === "=" || c === "!") {
      const two = text[i + 1] === "=";
      tokens.push({ kind: "op", text: c === "=" ? (two ? "==" : "=") : two ? "!=" : "!", at });
      i += two ? 2 : 1;
    } else if (c === "," || c === "(" || c === ")") {
      tokens.push({ kind: "op", text: c, at });
      i++;
    } else if (c === ">" || c === "<") {
      throw new SelectorSyntaxError(
        at,
        `"${c}" (Gt/Lt) is not supported; use =, ==, !=, in (…), notin (…), key or !key`,
      );
    } else {
      throw new SelectorSyntaxError(at, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: "end", at: text.length + 1 });
  return tokens;
}

const describe = (t: Token): string => (t.kind === "end" ? "the end" : JSON.stringify(t.text));

/**
 * Parses a label selector in kubectl's syntax (`env=prod,tier!=db,region in (eu,us),!legacy,team`) into the
 * ApplicationSet format's LabelSelector, so one matcher (compileSelector) serves both. Kubernetes' semantics:
 * `=`/`==` need the label with that value, `!=` and `notin` also match when it is absent, `key` needs it present,
 * `!key` absent. An empty string selects everything.
 */
export function parseSelector(text: string): LabelSelector {
  const tokens = tokenize(text);
  const expressions: NonNullable<LabelSelector["matchExpressions"]> = [];
  let i = 0;
  const peek = (): Token => tokens[i] as Token;
  const next = (): Token => tokens[i++] as Token;
  const key = (): string => {
    const t = next();
    if (t.kind !== "word") throw new SelectorSyntaxError(t.at, `expected a label key, found ${describe(t)}`);
    const problem = labelKeyProblem(t.text);
    if (problem !== undefined) throw new SelectorSyntaxError(t.at, `label key ${JSON.stringify(t.text)} ${problem}`);
    return t.text;
  };
  const value = (after: string): string => {
    const t = next();
    if (t.kind !== "word")
      throw new SelectorSyntaxError(t.at, `expected a label value after ${after}, found ${describe(t)}`);
    const problem = labelValueProblem(t.text);
    if (problem !== undefined) throw new SelectorSyntaxError(t.at, `label value ${JSON.stringify(t.text)}: ${problem}`);
    return t.text;
  };
  if (peek().kind === "end") return {};
  for (;;) {
    const start = peek();
    if (start.kind === "op" && start.text === "!") {
      next();
      expressions.push({ key: key(), operator: "DoesNotExist" });
    } else {
      const k = key();
      const op = peek();
      if (op.kind === "op" && (op.text === "=" || op.text === "==" || op.text === "!=")) {
        next();
        // An empty value is a value (`env=` selects env set to ""), as in Kubernetes.
        const after = peek();
        const v = after.kind === "word" ? value(`"${op.text}"`) : "";
        expressions.push({ key: k, operator: op.text === "!=" ? "NotIn" : "In", values: [v] });
      } else if (op.kind === "word" && (op.text === "in" || op.text === "notin")) {
        next();
        const open = next();
        if (open.kind !== "op" || open.text !== "(") {
          throw new SelectorSyntaxError(open.at, `expected "(" after "${op.text}", found ${describe(open)}`);
        }
        const values = [value(`"${op.text} ("`)];
        for (;;) {
          const t = next();
          if (t.kind === "op" && t.text === ")") break;
          if (t.kind !== "op" || t.text !== ",") {
            throw new SelectorSyntaxError(t.at, `expected "," or ")" in the value list, found ${describe(t)}`);
          }
          values.push(value('","'));
        }
        expressions.push({ key: k, operator: op.text === "in" ? "In" : "NotIn", values });
      } else if (op.kind === "end" || (op.kind === "op" && op.text === ",")) {
        expressions.push({ key: k, operator: "Exists" });
      } else {
        throw new SelectorSyntaxError(
          op.at,
          `expected =, ==, !=, in (…), notin (…), "," or the end after label key ${JSON.stringify(k)}, found ${describe(op)}`,
        );
      }
    }
    const sep = next();
    if (sep.kind === "end") break;
    if (sep.kind !== "op" || sep.text !== ",") {
      throw new SelectorSyntaxError(sep.at, `expected "," between requirements, found ${describe(sep)}`);
    }
    if (peek().kind === "end") throw new SelectorSyntaxError(peek().at, `expected a requirement after ","`);
  }
  return { matchExpressions: expressions };
}
