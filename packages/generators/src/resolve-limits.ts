import type { GeneratorContext } from "./generator.ts";
import { DEFAULT_GENERATOR_LIMITS, type GeneratorLimits } from "./limits.ts";

export function resolveLimits(ctx: GeneratorContext): GeneratorLimits {
  return ctx.limits ? { ...DEFAULT_GENERATOR_LIMITS, ...ctx.limits } : DEFAULT_GENERATOR_LIMITS;
}
