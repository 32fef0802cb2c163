import type { GeneratorSpec, Params } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";
import { flattenElement } from "./flatten.ts";
import type { Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
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
    return elements.map((element, i) => flattenElement(element, at.path, `elements[${i}]`, limits));
  }
}
