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

type Compiler = { aliasable(name: string): unknown; compiler: unknown };
type CompilerClass = new (...args: unknown[]) => Compiler;

/**
 * Replaces Handlebars' strict-mode lookup in one environment. The stock one builds its error message with
 * `"…not defined in " + obj`, which throws a bare TypeError for our null-prototype params and so loses the key's
 * name; it also answers `name in obj`, which counts inherited keys. Ours accepts own keys only and names the
 * missing key. Handlebars documents subclassing its JavaScriptCompiler (with `prototype.compiler` pointing at the
 * subclass) as the way to change generated lookups.
 */
export function installStrictLookup(env: typeof Handlebars): void {
  const holder = env as unknown as { JavaScriptCompiler: CompilerClass };
  const Base = holder.JavaScriptCompiler;
  class StrictCompiler extends Base {
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
