import type Handlebars from "handlebars";
import YAML from "yaml";
import { chargeIteration, checkOutput } from "./budget.ts";
import { normalizeName, sanitizeName, shortHash } from "./names.ts";
import { MissingParameterError } from "./strict-compiler.ts";

/** A helper called with arguments it cannot use; the message names the helper and the argument. */
export class HelperError extends Error {}

type Env = typeof Handlebars;
type HelperOptions = Handlebars.HelperOptions;
type Impl = (args: unknown[], options: HelperOptions) => unknown;

/** Names of every helper registered by `registerHelpers`, including the built-ins we keep. */
export const HELPER_NAMES: ReadonlySet<string> = new Set([
  "if",
  "unless",
  "each",
  "with",
  "lookup",
  "helperMissing",
  "blockHelperMissing",
  "default",
  "lower",
  "upper",
  "trim",
  "trimPrefix",
  "trimSuffix",
  "trunc",
  "replace",
  "quote",
  "toJson",
  "toYaml",
  "join",
  "split",
  "normalize",
  "sanitize",
  "shortHash",
  "b64enc",
  "b64dec",
  "eq",
  "ne",
  "not",
  "and",
  "or",
  "contains",
  "hasPrefix",
  "hasSuffix",
  "index",
]);

export function registerHelpers(env: Env): void {
  // `log` writes to the console from inside a template; nothing in a fleet template should.
  env.unregisterHelper("log");
  wrapEach(env);

  define(env, "lookup", 2, 2, ([obj, key]) => ownValue("lookup", obj, key, true));
  define(env, "index", 2, 2, ([obj, key]) => ownValue("index", obj, key, true));
  define(env, "default", 2, 2, ([value, fallback]) =>
    value === undefined || value === null || value === "" ? fallback : value,
  );
  define(env, "lower", 1, 1, ([s]) => text("lower", s, 1).toLowerCase());
  define(env, "upper", 1, 1, ([s]) => text("upper", s, 1).toUpperCase());
  define(env, "trim", 1, 1, ([s]) => text("trim", s, 1).trim());
  define(env, "trimPrefix", 2, 2, ([s, p]) => {
    const [value, prefix] = [text("trimPrefix", s, 1), text("trimPrefix", p, 2)];
    return prefix && value.startsWith(prefix) ? value.slice(prefix.length) : value;
  });
  define(env, "trimSuffix", 2, 2, ([s, p]) => {
    const [value, suffix] = [text("trimSuffix", s, 1), text("trimSuffix", p, 2)];
    return suffix && value.endsWith(suffix) ? value.slice(0, -suffix.length) : value;
  });
  // Negative lengths keep the tail, as Sprig's trunc does.
  define(env, "trunc", 2, 2, ([s, n]) => {
    const value = text("trunc", s, 1);
    const length = integer("trunc", n, 2);
    return length >= 0 ? value.slice(0, length) : value.slice(Math.max(0, value.length + length));
  });
  define(env, "replace", 3, 3, ([s, from, to]) => {
    const needle = text("replace", from, 2);
    if (needle === "") throw new HelperError(`helper "replace": argument 2 must not be empty`);
    return checkOutput(text("replace", s, 1).replaceAll(needle, text("replace", to, 3)), `helper "replace" output`);
  });
  define(env, "quote", 1, 1, ([s]) => JSON.stringify(text("quote", s, 1)));
  define(env, "toJson", 1, 1, ([v]) => checkOutput(JSON.stringify(present("toJson", v, 1)), `helper "toJson" output`));
  define(env, "toYaml", 1, 1, ([v]) =>
    checkOutput(YAML.stringify(present("toYaml", v, 1)).trimEnd(), `helper "toYaml" output`),
  );
  define(env, "join", 1, 2, ([list, sep]) => {
    const separator = sep === undefined ? "," : text("join", sep, 2);
    const items = array("join", list, 1).map((item, i) => text("join", item, `1[${i}]`));
    return checkOutput(items.join(separator), `helper "join" output`);
  });
  define(env, "split", 2, 2, ([s, sep]) => text("split", s, 1).split(text("split", sep, 2)));
  define(env, "normalize", 1, 2, ([s, max]) =>
    normalizeName(text("normalize", s, 1), max === undefined ? 63 : integer("normalize", max, 2)),
  );
  // Argo CD's `normalize` (its SanitizeName, as the clusters generator's `nameNormalized`): what imported templates
  // call, since Flotilla's own `normalize` collapses runs and cuts at 63.
  define(env, "sanitize", 1, 1, ([s]) => sanitizeName(text("sanitize", s, 1)));
  define(env, "shortHash", 1, 2, ([s, len]) =>
    shortHash(text("shortHash", s, 1), len === undefined ? 8 : integer("shortHash", len, 2)),
  );
  define(env, "b64enc", 1, 1, ([s]) => Buffer.from(text("b64enc", s, 1), "utf8").toString("base64"));
  define(env, "b64dec", 1, 1, ([s]) => Buffer.from(text("b64dec", s, 1), "base64").toString("utf8"));
  define(env, "eq", 2, 2, ([a, b]) => a === b);
  define(env, "ne", 2, 2, ([a, b]) => a !== b);
  define(env, "not", 1, 1, ([a]) => !truthy(a));
  define(env, "and", 2, 8, (args) => args.every(truthy));
  define(env, "or", 2, 8, (args) => args.some(truthy));
  define(env, "contains", 2, 2, ([s, sub]) => text("contains", s, 1).includes(text("contains", sub, 2)));
  define(env, "hasPrefix", 2, 2, ([s, p]) => text("hasPrefix", s, 1).startsWith(text("hasPrefix", p, 2)));
  define(env, "hasSuffix", 2, 2, ([s, p]) => text("hasSuffix", s, 1).endsWith(text("hasSuffix", p, 2)));
}

function define(env: Env, name: string, min: number, max: number, impl: Impl): void {
  env.registerHelper(name, (...all: unknown[]) => {
    const options = all.pop() as HelperOptions;
    if (all.length < min || all.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw new HelperError(`helper "${name}": expected ${expected} argument(s), got ${all.length}`);
    }
    return impl(all, options);
  });
}

/** Counts every iteration of `{{#each}}` against the render's budget so that nested loops cannot explode. */
function wrapEach(env: Env): void {
  const builtin = env.helpers["each"];
  if (!builtin) throw new Error("Handlebars has no built-in each helper");
  env.registerHelper("each", function (this: unknown, context: unknown, options: HelperOptions) {
    if (options === undefined || typeof (options as Partial<HelperOptions>).fn !== "function") {
      throw new HelperError(`helper "each": expected a block with one argument`);
    }
    const fn = options.fn;
    const counted: HelperOptions = {
      ...options,
      fn: ((ctx: unknown, opts?: Handlebars.RuntimeOptions) => {
        const out = fn(ctx, opts);
        chargeIteration(out.length);
        return out;
      }) as Handlebars.TemplateDelegate,
    };
    return builtin.call(this, context, counted);
  });
}

function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function present(helper: string, v: unknown, at: number | string): unknown {
  if (v === undefined) throw new HelperError(`helper "${helper}": argument ${at} is missing`);
  return v;
}

/** Scalars become text; lists and maps are refused rather than rendered as "[object Object]". */
function text(helper: string, v: unknown, at: number | string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  throw new HelperError(`helper "${helper}": argument ${at} must be text, got ${describeValue(v)}`);
}

function integer(helper: string, v: unknown, at: number): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new HelperError(`helper "${helper}": argument ${at} must be an integer, got ${describeValue(v)}`);
  }
  return n;
}

function array(helper: string, v: unknown, at: number): readonly unknown[] {
  if (!Array.isArray(v))
    throw new HelperError(`helper "${helper}": argument ${at} must be a list, got ${describeValue(v)}`);
  return v;
}

function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === "" || v === 0 || (Array.isArray(v) && v.length === 0));
}

/** Own keys only: data never reaches a prototype, and an absent key is an error as in the rest of strict mode. */
function ownValue(helper: string, obj: unknown, key: unknown, strict: boolean): unknown {
  if (obj === null || typeof obj !== "object") {
    throw new HelperError(`helper "${helper}": argument 1 must be a list or map, got ${describeValue(obj)}`);
  }
  const name = typeof key === "number" ? String(key) : text(helper, key, 2);
  if (Object.hasOwn(obj, name)) return (obj as Record<string, unknown>)[name];
  if (strict) throw new MissingParameterError(name);
  return undefined;
}
