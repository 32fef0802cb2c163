import type { GeneratorSpec, Params, ParamValue } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";
import type { ChildGenerators, Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import type { ParamsMemo } from "./memo.ts";

/**
 * Argo CD's merge: the first child is the base; for each later child, a parameter set whose `mergeKeys`
 * values all equal a base set's overrides that base set key by key; later sets matching no base set are
 * dropped. Every child's sets must be unique by their merge-key values (a key a set lacks counts as null),
 * otherwise which set overrides which would be arbitrary. The result keeps the base's order.
 */
export class MergeGenerator implements Generator {
  readonly kind = "merge" as const;
  private readonly children: ChildGenerators;

  constructor(children: ChildGenerators) {
    this.children = children;
  }

  async generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const merge = spec.merge;
    const children = merge?.generators ?? [];
    const mergeKeys = [...new Set(merge?.mergeKeys ?? [])];
    if (mergeKeys.length === 0) {
      throw new GeneratorError({ at: at.path, code: "invalid-spec", reason: "mergeKeys must name at least one key" });
    }
    if (children.length < 2) {
      throw new GeneratorError({
        at: at.path,
        code: "invalid-spec",
        reason: `a merge needs at least 2 generators, got ${children.length}`,
      });
    }
    const sets: Params[][] = [];
    for (const [i, child] of children.entries()) {
      sets.push(await this.children.generate(child, ctx, { path: [...at.path, "generators", i], depth: at.depth + 1 }));
    }
    const base = indexByMergeKeys(sets[0] ?? [], mergeKeys, at, 0, ctx.memo);
    for (let i = 1; i < sets.length; i++) {
      const overrides = indexByMergeKeys(sets[i] ?? [], mergeKeys, at, i, ctx.memo);
      // By the overrides, usually few, rather than the base, which may be a whole fleet; replacing a key keeps
      // its place, so the result keeps the base's order either way.
      for (const [key, override] of overrides) {
        const params = base.get(key);
        if (params === undefined) continue;
        const merged = () => Object.assign(Object.create(null) as Params, params, override);
        base.set(key, ctx.memo === undefined ? merged() : ctx.memo.pair(params, override, merged));
      }
    }
    return [...base.values()];
  }
}

function indexByMergeKeys(
  sets: readonly Params[],
  mergeKeys: readonly string[],
  at: GeneratorPosition,
  child: number,
  memo: ParamsMemo | undefined,
): Map<string, Params> {
  const index = new Map<string, Params>();
  const valuesOf = (params: Params): ParamValue[] =>
    mergeKeys.map((k) => (Object.hasOwn(params, k) ? (params[k] as ParamValue) : null));
  const known = memo?.texts(`merge${JSON.stringify(mergeKeys)}`);
  for (const params of sets) {
    let key = known?.get(params);
    if (key === undefined) {
      key = JSON.stringify(valuesOf(params));
      known?.set(params, key);
    }
    if (index.has(key)) {
      const values = valuesOf(params);
      const shown = mergeKeys.map((k, i) => `${k}=${JSON.stringify(values[i])}`).join(", ");
      throw new GeneratorError({
        at: [...at.path, "generators", child],
        code: "merge",
        reason: `two parameter sets have the same merge key values (${shown}); mergeKeys must identify each set uniquely`,
      });
    }
    index.set(key, params);
  }
  return index;
}
