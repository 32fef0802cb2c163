import type { TemplateLimits } from "./limits.ts";

/** Raised when one render exceeds its limits; the message says which. */
export class BudgetExceededError extends Error {}

/**
 * Work allowed to the render in progress. Rendering is synchronous and helpers never render templates
 * themselves, so one module-level slot is enough: `withBudget` fills it for exactly the span of one render.
 */
let current: { iterations: number; output: number; limits: TemplateLimits } | undefined;

export function withBudget<T>(limits: TemplateLimits, render: () => T): T {
  const outer = current;
  current = { iterations: 0, output: 0, limits };
  try {
    return render();
  } finally {
    current = outer;
  }
}

export function chargeIteration(outputLength: number): void {
  if (!current) return;
  current.iterations++;
  current.output += outputLength;
  if (current.iterations > current.limits.maxIterations) {
    throw new BudgetExceededError(`template loops more than ${current.limits.maxIterations} times`);
  }
  if (current.output > current.limits.maxOutputBytes) {
    throw new BudgetExceededError(`template output exceeds ${current.limits.maxOutputBytes} bytes`);
  }
}

export function checkOutput(text: string, what: string): string {
  const max = current?.limits.maxOutputBytes;
  if (max !== undefined && text.length > max) {
    throw new BudgetExceededError(`${what} exceeds ${max} bytes`);
  }
  return text;
}
