import type { Params } from "@flotilla/core";

/**
 * Parameter sets kept from one generation of an ApplicationSet to the next, so that an element whose inputs did
 * not change comes out as the very same object. Whatever is keyed by a parameter set's identity downstream (the
 * engine's rendered Applications) is then reused for it, and a push that changes one element renders one.
 *
 * Leaves (a list element, a cluster) are found by their content; combinations (a matrix row, a merged set) by the
 * identity of their parts, which stand for their content because leaves do. Everything a generator returns is
 * a pure function of those: the memo changes how much is computed, never what. Parameter sets are never
 * modified once returned, so sharing them is safe.
 *
 * Generational: a leaf not used by a generation is forgotten when it ends, and what was built from it with it,
 * so the memo holds about one generation.
 */
export class ParamsMemo {
  #leaves = new Map<string, Params>();
  #next = new Map<string, Params>();
  #pairs = new WeakMap<Params, WeakMap<Params, Params>>();
  #texts = new Map<string, WeakMap<Params, string>>();

  /** Starts a generation. */
  begin(): void {
    this.#next = new Map();
  }

  /** Ends a generation: the leaves it did not use are forgotten. Also after a failed one (it used fewer). */
  end(): void {
    this.#leaves = this.#next;
    this.#next = new Map();
  }

  /** The leaf of this content key, made when the memo has none. */
  leaf(key: string, make: () => Params): Params {
    let params = this.#next.get(key) ?? this.#leaves.get(key);
    if (params === undefined) params = make();
    this.#next.set(key, params);
    return params;
  }

  /** Texts computed from parameter sets (their merge-key values), kept per set, one table per `what`. */
  texts(what: string): WeakMap<Params, string> {
    let table = this.#texts.get(what);
    if (table === undefined) {
      table = new WeakMap();
      this.#texts.set(what, table);
    }
    return table;
  }

  /** What `make` builds of `a` and `b`; the same object for the same two parts. */
  pair(a: Params, b: Params, make: () => Params): Params {
    let byB = this.#pairs.get(a);
    if (byB === undefined) {
      byB = new WeakMap();
      this.#pairs.set(a, byB);
    }
    let made = byB.get(b);
    if (made === undefined) {
      made = make();
      byB.set(b, made);
    }
    return made;
  }
}

/**
 * A key for the content of plain data (what a YAML parse or a store read gives): key order kept, since it is the
 * order of the parameters made from it, and every type told apart (`null` from `NaN`, `1` from `"1"`, `-0` from
 * `0`). Undefined when the value holds anything else, which is then not memoized.
 */
export function contentKey(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "n-0" : `n${value}`;
    case "boolean":
      return value ? "t" : "f";
    case "bigint":
      return `b${value}`;
    case "undefined":
      return "u";
    case "object":
      return value === null ? "z" : objectKey(value);
    default:
      return undefined;
  }
}

function objectKey(value: object): string | undefined {
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const k = contentKey(value[i]);
      if (k === undefined) return undefined;
      out += i > 0 ? `,${k}` : k;
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  // Symbol keys carry meaning (a failed git file's marker): such data is not memoized.
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  let out = "{";
  let first = true;
  for (const key of Object.keys(value)) {
    const k = contentKey((value as Record<string, unknown>)[key]);
    if (k === undefined) return undefined;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${k}`;
    first = false;
  }
  return `${out}}`;
}
