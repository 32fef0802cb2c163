import type { GeneratorSpec, Params } from "@flotilla/core";
import { hasTemplates, isTemplateError, renderString } from "@flotilla/template";
import { combineParams } from "./combine.ts";
import { GeneratorError } from "./errors.ts";
import type { ChildGenerators, Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import { resolveLimits } from "./resolve-limits.ts";

/**
 * The cartesian product of exactly two children, as in Argo CD. The second child may use the first's params
 * (`path: "{{path.basename}}/config.yaml"`): its spec is then rendered once per parameter set of the first and
 * generated anew. A template key the first child does not provide is left in place for the second child
 * itself (cluster `values` that use the cluster's own `{{name}}`), as Argo CD's fasttemplate does.
 */
export class MatrixGenerator implements Generator {
  readonly kind = "matrix" as const;
  private readonly children: ChildGenerators;

  constructor(children: ChildGenerators) {
    this.children = children;
  }

  async generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const children = spec.matrix?.generators ?? [];
    if (children.length !== 2) {
      throw new GeneratorError({
        at: at.path,
        code: "invalid-spec",
        reason: `a matrix needs exactly 2 generators, got ${children.length}`,
      });
    }
    const [firstSpec, secondSpec] = children as [GeneratorSpec, GeneratorSpec];
    const childAt = (i: number) => ({ path: [...at.path, "generators", i], depth: at.depth + 1 });
    const limits = resolveLimits(ctx);
    const first = await this.children.generate(firstSpec, ctx, childAt(0));
    const out: Params[] = [];
    const push = (a: Params, second: Params[]): void => {
      if (out.length + second.length > limits.maxParamSets) {
        throw new GeneratorError({
          at: at.path,
          code: "limit",
          reason: `the matrix produces more than ${limits.maxParamSets} parameter sets`,
        });
      }
      const memo = ctx.memo;
      for (const b of second) {
        out.push(
          memo === undefined ? combineParams(a, b, at.path) : memo.pair(a, b, () => combineParams(a, b, at.path)),
        );
      }
    };

    if (!hasTemplates(secondSpec)) {
      const second = await this.children.generate(secondSpec, ctx, childAt(1));
      for (const a of first) push(a, second);
      return out;
    }
    for (const a of first) {
      const rendered = renderKnown(secondSpec, a, childAt(1).path);
      push(a, await this.children.generate(rendered, ctx, childAt(1)));
    }
    return out;
  }
}

/** Renders every string of a child spec that the params can fully render; leaves the rest for the child. */
function renderKnown<T>(value: T, params: Params, path: (string | number)[]): T {
  return walk(value, params, path) as T;
}

function walk(value: unknown, params: Params, path: (string | number)[]): unknown {
  if (typeof value === "string") {
    if (!value.includes("{{")) return value;
    try {
      return renderString(value, params);
    } catch (err) {
      if (isTemplateError(err) && err.code === "MissingParameter") return value;
      const reason = isTemplateError(err) ? err.reason : String(err);
      throw new GeneratorError({ at: path, code: "template", reason, cause: err });
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, params, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: walk(v, params, [...path, k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
