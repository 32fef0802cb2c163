import type { GeneratorSpec, Params } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";
import { flattenElement } from "./flatten.ts";
import type { Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import { contentKey } from "./memo.ts";
import { resolveLimits } from "./resolve-limits.ts";

/**
 * One parameter set per element. Keys are exposed flat, as Argo CD does without goTemplate: an element
 * `{cluster: dev, values: {ns: apps}}` gives `cluster` and `values.ns`; deeper maps give deeper dotted keys.
 */
export class ListGenerator implements Generator {
  readonly kind = "list" as const;

  async generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const elements = spec.list?.elements ?? [];
    const limits = resolveLimits(ctx);
    if (elements.length > limits.maxElements) {
      throw new GeneratorError({
        at: at.path,
        code: "limit",
        reason: `${elements.length} elements; at most ${limits.maxElements} allowed`,
      });
    }
    const flatten = (element: Record<string, unknown>, i: number) =>
      flattenElement(element, at.path, `elements[${i}]`, limits);
    const memo = ctx.memo;
    if (memo === undefined) return elements.map(flatten);
    // The limits only decide whether an element fails, but a memo must not outlive the rules it was made under.
    const limitsKey = contentKey(limits);
    return elements.map((element, i) => {
      const key = contentKey(element);
      return key === undefined ? flatten(element, i) : memo.leaf(`list${limitsKey}${key}`, () => flatten(element, i));
    });
  }
}
