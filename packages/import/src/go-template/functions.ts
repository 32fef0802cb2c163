import type { Expr } from "./parse.ts";
import { UnsupportedSyntax } from "./parse.ts";

/**
 * How one Go/Sprig function becomes a Flotilla helper call. Sprig puts the value a pipeline feeds in last
 * (`replace "a" "b" .s`); Flotilla's helpers take it first (`replace s "a" "b"`), so most entries reorder.
 */
interface FunctionForm {
  /** Number of arguments Sprig takes. */
  arity: number;
  /** The Flotilla helper and its arguments, from Sprig's arguments. */
  to: (args: Expr[]) => { helper: string; args: Expr[] };
  /** Usable only as an `if` condition (Go's and/or print an operand, Flotilla's print true or false). */
  conditionOnly?: boolean;
}

const same =
  (helper: string) =>
  (args: Expr[]): { helper: string; args: Expr[] } => ({ helper, args });
const valueFirst =
  (helper: string) =>
  (args: Expr[]): { helper: string; args: Expr[] } => ({ helper, args: [args.at(-1)!, ...args.slice(0, -1)] });

const FORMS: Readonly<Record<string, FunctionForm>> = {
  default: { arity: 2, to: valueFirst("default") },
  lower: { arity: 1, to: same("lower") },
  upper: { arity: 1, to: same("upper") },
  trim: { arity: 1, to: same("trim") },
  trimPrefix: { arity: 2, to: valueFirst("trimPrefix") },
  trimSuffix: { arity: 2, to: valueFirst("trimSuffix") },
  hasPrefix: { arity: 2, to: valueFirst("hasPrefix") },
  hasSuffix: { arity: 2, to: valueFirst("hasSuffix") },
  contains: { arity: 2, to: valueFirst("contains") },
  replace: { arity: 3, to: valueFirst("replace") },
  trunc: { arity: 2, to: valueFirst("trunc") },
  quote: { arity: 1, to: same("quote") },
  toJson: { arity: 1, to: same("toJson") },
  toYaml: { arity: 1, to: same("toYaml") },
  join: { arity: 2, to: valueFirst("join") },
  b64enc: { arity: 1, to: same("b64enc") },
  b64dec: { arity: 1, to: same("b64dec") },
  // Argo CD's `normalize` is its SanitizeName; Flotilla's `normalize` differs (it collapses runs, cuts at 63), and
  // `sanitize` is the exact one.
  normalize: { arity: 1, to: same("sanitize") },
  ne: { arity: 2, to: same("ne") },
  not: { arity: 1, to: same("not") },
  and: { arity: -2, to: same("and"), conditionOnly: true },
  or: { arity: -2, to: same("or"), conditionOnly: true },
};

export const SUPPORTED_FUNCTIONS: readonly string[] = ["index", "eq", ...Object.keys(FORMS)].sort();

/** A call in Flotilla's terms: a parameter (from `index`) or a helper with converted arguments. */
export type Converted = { kind: "field"; path: (string | number)[] } | { kind: "helper"; helper: string; args: Expr[] };

export function convertCall(call: Extract<Expr, { e: "call" }>, condition: boolean): Converted {
  const { fn, args, at } = call;
  if (fn === "index") return { kind: "field", path: indexPath(call) };
  if (fn === "eq") {
    if (args.length < 2) throw new UnsupportedSyntax(at, `eq takes at least 2 arguments, got ${args.length}`);
    if (args.length === 2) return { kind: "helper", helper: "eq", args };
    // Go's `eq a b c` is a == b || a == c.
    const [first, ...rest] = args;
    const alternatives: Expr[] = rest.map((arg) => ({ e: "call", fn: "eq", args: [first!, arg], at }));
    return { kind: "helper", helper: "or", args: alternatives };
  }
  const form = FORMS[fn];
  if (form === undefined) {
    throw new UnsupportedSyntax(
      at,
      `the function ${fn} has no Flotilla equivalent (supported: ${SUPPORTED_FUNCTIONS.join(", ")})`,
    );
  }
  const ok = form.arity < 0 ? args.length >= -form.arity && args.length <= 8 : args.length === form.arity;
  if (!ok) {
    const expected = form.arity < 0 ? `${-form.arity} to 8` : `${form.arity}`;
    throw new UnsupportedSyntax(at, `${fn} takes ${expected} argument(s), got ${args.length}`);
  }
  if (form.conditionOnly === true && !condition) {
    throw new UnsupportedSyntax(
      at,
      `${fn} prints one of its operands in Go but true or false in Flotilla; use it in an if, or default for a fallback`,
    );
  }
  if (fn === "replace") {
    const old = args[0];
    if (old?.e === "literal" && old.value === "") {
      throw new UnsupportedSyntax(at, "replace with an empty search string is refused by Flotilla's replace");
    }
  }
  return { kind: "helper", ...form.to(args) };
}

/** `index .x "a" 0` names the parameter `x.a.0`; only constant keys have a parameter name. */
function indexPath(call: Extract<Expr, { e: "call" }>): (string | number)[] {
  const [target, ...keys] = call.args;
  if (target === undefined || keys.length === 0) {
    throw new UnsupportedSyntax(call.at, "index takes a field and at least one key");
  }
  const base =
    target.e === "field" ? target.path : target.e === "call" && target.fn === "index" ? indexPath(target) : undefined;
  if (base === undefined) throw new UnsupportedSyntax(target.at, "index is supported on a field only");
  const path = [...base];
  for (const key of keys) {
    if (key.e !== "literal" || (typeof key.value !== "string" && typeof key.value !== "number")) {
      throw new UnsupportedSyntax(key.at, "index keys must be constant strings or integers");
    }
    if (typeof key.value === "number" && !Number.isInteger(key.value)) {
      throw new UnsupportedSyntax(key.at, "an index must be an integer");
    }
    path.push(key.value);
  }
  return path;
}
