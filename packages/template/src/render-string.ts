import type { Params } from "@flotilla/core";
import { BudgetExceededError, withBudget } from "./budget.ts";
import { type CompiledTemplate, compileTemplate, type Piece } from "./compile.ts";
import { TemplateError, type TemplateErrorCode } from "./errors.ts";
import { HelperError } from "./helpers.ts";
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from "./limits.ts";
import { MissingParameterError } from "./strict-compiler.ts";

export interface RenderOptions {
  /** Where the template sits, for error messages (`spec.destination.namespace`). */
  fieldPath?: string;
  /** Overrides of the defaults in `DEFAULT_TEMPLATE_LIMITS`. */
  limits?: Partial<TemplateLimits>;
}

/**
 * Renders one template string against flat params, strictly: a missing key is a `TemplateError` naming the key,
 * never an empty string. Text without `{{` is returned as is, without compiling.
 */
export function renderString(template: string, params: Params, options: RenderOptions = {}): string {
  if (!template.includes("{{")) return template;
  const limits = options.limits ? { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits } : DEFAULT_TEMPLATE_LIMITS;
  if (template.length > limits.maxTemplateBytes) {
    throw new TemplateError({
      code: "TooLarge",
      fieldPath: options.fieldPath,
      template,
      reason: `template is ${template.length} bytes; at most ${limits.maxTemplateBytes} allowed`,
    });
  }
  const compiled = compileTemplate(template, limits);
  try {
    const out = run(compiled, params, limits);
    if (out.length > limits.maxOutputBytes) {
      throw new BudgetExceededError(`template output exceeds ${limits.maxOutputBytes} bytes`);
    }
    return out;
  } catch (err) {
    throw new TemplateError({ fieldPath: options.fieldPath, template, ...reasonOf(err), cause: err });
  }
}

function run(compiled: CompiledTemplate, params: Params, limits: TemplateLimits): string {
  switch (compiled.kind) {
    case "pieces":
      return joinPieces(compiled.pieces, params);
    case "handlebars":
      return withBudget(limits, () => compiled.render(params));
    case "invalid":
      throw new InvalidTemplate(compiled.reason, compiled.code);
  }
}

class InvalidTemplate extends Error {
  readonly code: TemplateErrorCode;

  constructor(reason: string, code: TemplateErrorCode = "InvalidTemplate") {
    super(reason);
    this.code = code;
  }
}

function joinPieces(pieces: readonly Piece[], params: Params): string {
  let out = "";
  for (const piece of pieces) {
    if ("text" in piece) {
      out += piece.text;
      continue;
    }
    if (!Object.hasOwn(params, piece.key)) {
      throw new MissingParameterError(piece.key);
    }
    const value = params[piece.key];
    // The same conversion Handlebars applies to `{{x}}` with noEscape: null renders empty, the rest via `+`.
    if (value !== null && value !== undefined) out += value;
  }
  return out;
}

/** One short sentence for the user; Handlebars' own wording names the key but reads like a stack trace. */
export function reasonOf(err: unknown): { code: TemplateErrorCode; reason: string } {
  if (err instanceof MissingParameterError) return { code: "MissingParameter", reason: err.message };
  if (err instanceof InvalidTemplate) return { code: err.code, reason: err.message };
  if (err instanceof HelperError) return { code: "HelperFailed", reason: err.message };
  if (err instanceof BudgetExceededError) return { code: "TooLarge", reason: err.message };
  if (err instanceof RangeError) return { code: "TooLarge", reason: "template nests too deeply to render" };
  const message = err instanceof Error ? err.message : String(err);
  const missing = /^"(.*)" not defined in [\s\S]*$/.exec(message);
  if (missing) return { code: "MissingParameter", reason: `missing parameter ${JSON.stringify(missing[1])}` };
  const helper = /^Missing helper: "(.*)"$/.exec(message);
  if (helper) return { code: "UnknownHelper", reason: `unknown helper ${JSON.stringify(helper[1])}` };
  if (/Cannot convert object to primitive value/.test(message)) {
    return {
      code: "InvalidTemplate",
      reason: "a map cannot be used as text here; render it with toJson, toYaml or #each",
    };
  }
  return { code: "InvalidTemplate", reason: message.split("\n")[0] ?? message };
}
