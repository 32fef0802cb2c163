import type { GeneratorSpec, Params } from "@flotilla/core";
import type { GeneratorContext } from "./generator.ts";
import { GeneratorRegistry } from "./registry.ts";

const registry = new GeneratorRegistry();

/**
 * Runs an ApplicationSet's generators in order and concatenates their parameter sets. Any generator error
 * rejects the whole call with a `GeneratorError` naming the failing generator (`spec.generators[1].git`):
 * a partial result would look like deleted elements.
 */
export async function generateParams(specs: readonly GeneratorSpec[], ctx: GeneratorContext): Promise<Params[]> {
  ctx.memo?.begin();
  try {
    const out: Params[] = [];
    for (const [i, spec] of specs.entries()) {
      const params = await registry.generate(spec, ctx, { path: ["spec", "generators", i], depth: 0 });
      for (const p of params) out.push(p);
    }
    return out;
  } finally {
    ctx.memo?.end();
  }
}
