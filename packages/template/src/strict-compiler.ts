import type Handlebars from "handlebars";

/** A template asked for a key its params (or the nested value it iterates) do not have. */
export class MissingParameterError extends Error {
  readonly key: string;

  constructor(key: string) {
    super(`missing parameter ${JSON.stringify(key)}`);
    this.key = key;
  }
}

// Registered as a helper so that compiled templates can reach it through `container.helpers`; the NUL byte
// keeps templates from naming it by accident.
const STRICT_LOOKUP = "\u0000strictLookup";

type Code = unknown[] | string;
type Compiler = {
  aliasable(name: string): unknown;
  compiler: unknown;
  append(): void;
  isInline(): boolean;
  replaceStack(callback: (current: Code) => Code): void;
  pushSource(source: unknown): void;
  appendToBuffer(source: unknown): unknown;
  popStack(): unknown;
};
type CompilerClass = new (...args: unknown[]) => Compiler;

/**
 * Two changes to Handlebars' code generation, in one environment only.
 *
 * Appending: Handlebars joins consecutive mustaches with `+`, so `{{a}}{{b}}` with the numbers 1 and 2 renders
 * "3", and `{{n}}{{flag}}` with 3 and false renders "3". Each appended value is made a string first.
 *
 * Lookup: it replaces Handlebars' strict-mode lookup. The stock one builds its error message with
 * `"…not defined in " + obj`, which throws a bare TypeError for our null-prototype params and so loses the key's
 * name; it also answers `name in obj`, which counts inherited keys. Ours accepts own keys only and names the
 * missing key. Handlebars documents subclassing its JavaScriptCompiler (with `prototype.compiler` pointing at the
 * subclass) as the way to change generated lookups.
 */
export function installStrictCompiler(env: typeof Handlebars): void {
  const holder = env as unknown as { JavaScriptCompiler: CompilerClass };
  const Base = holder.JavaScriptCompiler;
  class StrictCompiler extends Base {
    override append(): void {
      if (!this.isInline()) {
        super.append();
        return;
      }
      this.replaceStack((current) => [' != null ? "" + ', current, ' : ""']);
      this.pushSource(this.appendToBuffer(this.popStack()));
    }

    override aliasable(name: string): unknown {
      return super.aliasable(
        name === "container.strict" ? `container.helpers[${JSON.stringify(STRICT_LOOKUP)}]` : name,
      );
    }
  }
  StrictCompiler.prototype.compiler = StrictCompiler;
  holder.JavaScriptCompiler = StrictCompiler;
  env.registerHelper(STRICT_LOOKUP, strictLookup);
}

function strictLookup(obj: unknown, name: string): unknown {
  if (obj === null || obj === undefined || !Object.hasOwn(obj, name)) {
    throw new MissingParameterError(name);
  }
  return (obj as Record<string, unknown>)[name];
}
