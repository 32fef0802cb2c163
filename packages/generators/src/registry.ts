import type { GeneratorKind, GeneratorSpec, Params } from "@flotilla/core";
import { ClustersGenerator } from "./clusters.ts";
import { GeneratorError } from "./errors.ts";
import type { ChildGenerators, Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import { GitGenerator } from "./git.ts";
import { ListGenerator } from "./list.ts";
import { MatrixGenerator } from "./matrix.ts";
import { MergeGenerator } from "./merge.ts";
import { resolveLimits } from "./resolve-limits.ts";

const KINDS: readonly GeneratorKind[] = ["list", "clusters", "git", "matrix", "merge"];

/**
 * The only wiring: every generator kind, with matrix and merge given this same set for their children.
 * Nesting is capped here, in one place, so that no combination of matrix and merge can recurse without end.
 */
export class GeneratorRegistry implements ChildGenerators {
  private readonly byKind: ReadonlyMap<GeneratorKind, Generator>;

  constructor() {
    const generators: Generator[] = [
      new ListGenerator(),
      new ClustersGenerator(),
      new GitGenerator(),
      new MatrixGenerator(this),
      new MergeGenerator(this),
    ];
    this.byKind = new Map(generators.map((g) => [g.kind, g]));
  }

  generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const kinds = KINDS.filter((k) => spec[k] !== undefined);
    if (kinds.length !== 1) {
      return Promise.reject(
        new GeneratorError({
          at: at.path,
          code: "invalid-spec",
          reason: `expected exactly one generator kind of ${KINDS.join(", ")}, got ${kinds.length === 0 ? "none" : kinds.join(", ")}`,
        }),
      );
    }
    const kind = kinds[0] as GeneratorKind;
    const path = [...at.path, kind];
    const limits = resolveLimits(ctx);
    if ((kind === "matrix" || kind === "merge") && at.depth >= limits.maxNesting) {
      return Promise.reject(
        new GeneratorError({
          at: path,
          code: "limit",
          reason: `matrix and merge generators nest deeper than ${limits.maxNesting} levels`,
        }),
      );
    }
    const generator = this.byKind.get(kind) as Generator;
    return generator.generate(spec, ctx, { path, depth: at.depth });
  }
}
