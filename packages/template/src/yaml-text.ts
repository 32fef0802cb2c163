import type { Params } from "@flotilla/core";
import { type Document, parse, parseDocument, Scalar, visit } from "yaml";
import { BudgetExceededError, withBudget } from "./budget.ts";
import { compileSlottedTemplate, SLOT_CLOSE, SLOT_OPEN } from "./compile.ts";
import { TemplateError } from "./errors.ts";
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from "./limits.ts";
import { reasonOf } from "./render-string.ts";

export interface YamlTextOptions {
  /** Where the text sits, for error messages (`spec.templatePatch`, `spec.source.helm.values`). */
  fieldPath: string;
  limits?: Partial<TemplateLimits>;
  /** What the text is, in messages ("rendered patch is not valid YAML"). @defaultValue "text" */
  noun?: string;
}

const SLOT = new RegExp(`${SLOT_OPEN}(\\d+)${SLOT_CLOSE}`, "g");
const WHOLE_SLOT = new RegExp(`^${SLOT_OPEN}(\\d+)${SLOT_CLOSE}$`);

/**
 * Renders a template that is YAML text (a templatePatch, Helm values) so that no parameter value can change its
 * structure. The template runs with every output replaced by a placeholder (control flow still sees the real
 * values), the result is parsed as YAML, and only then does each placeholder get its value, inside the scalar it
 * landed in: a newline, `: `, `#`, `{}`, quotes or `---` in a value stay characters of that string. A value that
 * is the whole of an unquoted scalar keeps YAML's reading of a plain number, boolean or null (`replicas:
 * {{replicas}}` is still a number); anything else is a string.
 */
export function renderYamlDocument(template: string, params: Params, options: YamlTextOptions): Document {
  const { fieldPath } = options;
  const limits = options.limits ? { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits } : DEFAULT_TEMPLATE_LIMITS;
  const fail = (reason: string, cause?: unknown) =>
    new TemplateError({ code: "InvalidPatch", fieldPath, template, reason, cause });
  if (template.includes(SLOT_OPEN) || template.includes(SLOT_CLOSE)) {
    throw fail("text contains the reserved characters U+E000 or U+E001; remove them");
  }
  if (template.length > limits.maxTemplateBytes) {
    throw new TemplateError({
      code: "TooLarge",
      fieldPath,
      template,
      reason: `template is ${template.length} bytes; at most ${limits.maxTemplateBytes} allowed`,
    });
  }
  const compiled = compileSlottedTemplate(template, limits);
  if (compiled.kind === "invalid") {
    throw new TemplateError({ code: compiled.code ?? "InvalidTemplate", fieldPath, template, reason: compiled.reason });
  }
  let rendered: { text: string; slots: string[] };
  try {
    rendered = withBudget(limits, () => compiled.render(params));
    const size = rendered.text.length + rendered.slots.reduce((n, s) => n + s.length, 0);
    if (size > limits.maxOutputBytes) throw new BudgetExceededError(`output exceeds ${limits.maxOutputBytes} bytes`);
  } catch (err) {
    throw new TemplateError({ fieldPath, template, ...reasonOf(err), cause: err });
  }
  const doc = parseDocument(rendered.text, { uniqueKeys: true, merge: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
    const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
    throw fail(`rendered ${options.noun ?? "text"} is not valid YAML${where}: ${message}`, error);
  }
  if (rendered.slots.length === 0) return doc;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string" || !node.value.includes(SLOT_OPEN)) return;
      const whole = WHOLE_SLOT.exec(node.value);
      if (whole !== null && node.type === Scalar.PLAIN) {
        node.value = plainValue(rendered.slots[Number(whole[1])]!);
        return;
      }
      node.value = node.value.replace(SLOT, (_m, i: string) => rendered.slots[Number(i)]!);
      // A value in a plain scalar may hold what plain style cannot: let the writer pick a quoting that can.
      if (node.type === Scalar.PLAIN) node.type = undefined;
    },
  });
  // A placeholder outside any scalar (in a tag or an anchor name) would be structure taken from a value.
  if (doc.toString().includes(SLOT_OPEN)) {
    throw fail("a parameter may appear only in a key or a value, not in a tag, anchor or alias");
  }
  return doc;
}

/** YAML text of `renderYamlDocument`'s result, for fields that stay text (Helm values). */
export function renderYamlText(template: string, params: Params, options: YamlTextOptions): string {
  if (!template.includes("{{")) return template;
  return renderYamlDocument(template, params, options).toString({ lineWidth: 0 });
}

/** YAML 1.2 core schema's plain null, boolean, integer and float forms: what an unquoted scalar reads as. */
const TYPED_PLAIN =
  /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** What a plain scalar made of this value alone means: a number, boolean or null when it is one, else a string. */
function plainValue(value: string): unknown {
  return TYPED_PLAIN.test(value) ? parse(value, { schema: "core" }) : value;
}
