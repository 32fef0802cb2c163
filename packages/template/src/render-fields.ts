import { type FieldPath, formatFieldPath, type Params } from "@flotilla/core";
import { TemplateError } from "./errors.ts";
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from "./limits.ts";
import { isPlainMap, setOwn } from "./own-keys.ts";
import { renderString } from "./render-string.ts";
import { renderYamlText } from "./yaml-text.ts";

export interface RenderFieldsOptions {
  limits?: Partial<TemplateLimits>;
  /**
   * Fields whose string is YAML text read later (Helm values): rendered with `renderYamlText`, so that a
   * parameter value cannot change the YAML structure inside the string either. Paths from the root of `value`
   * (after `basePath`). @defaultValue none
   */
  yamlTextFields?: readonly FieldPath[];
}

/**
 * Renders every string leaf of a JSON-like value, one by one, and returns a value of the same shape. Keys are
 * never rendered, and each string is rendered on its own, so a parameter value cannot inject YAML or new
 * fields. Inputs are not modified; subtrees without templates are copied as they are.
 *
 * @param basePath where `value` sits (e.g. `["spec"]`), so that errors name the full field path.
 */
export function renderFields<T>(
  value: T,
  params: Params,
  basePath: FieldPath = [],
  options: RenderFieldsOptions = {},
): T {
  const limits = options.limits ? { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits } : DEFAULT_TEMPLATE_LIMITS;
  const yamlText = new Set((options.yamlTextFields ?? []).map((p) => formatFieldPath([...basePath, ...p])));
  return walk(value, params, [...basePath], limits, yamlText) as T;
}

function walk(
  value: unknown,
  params: Params,
  path: (string | number)[],
  limits: TemplateLimits,
  yamlText: ReadonlySet<string>,
): unknown {
  if (typeof value === "string") {
    if (!value.includes("{{")) return value;
    const fieldPath = formatFieldPath(path);
    if (yamlText.has(fieldPath)) return renderYamlText(value, params, { fieldPath, limits });
    return renderString(value, params, { fieldPath, limits });
  }
  if (value === null || typeof value !== "object") return value;
  if (path.length > limits.maxDepth) {
    throw new TemplateError({
      code: "TooLarge",
      fieldPath: formatFieldPath(path),
      template: "",
      reason: `value nests deeper than ${limits.maxDepth} levels`,
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      path.push(i);
      try {
        return walk(item, params, path, limits, yamlText);
      } finally {
        path.pop();
      }
    });
  }
  if (!isPlainMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    path.push(key);
    try {
      setOwn(out, key, walk(value[key], params, path, limits, yamlText));
    } finally {
      path.pop();
    }
  }
  return out;
}

/** True when any string leaf holds `{{`, i.e. when rendering could change the value at all. */
export function hasTemplates(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (value === null || typeof value !== "object" || depth > DEFAULT_TEMPLATE_LIMITS.maxDepth) return false;
  if (Array.isArray(value)) return value.some((item) => hasTemplates(item, depth + 1));
  return Object.values(value).some((item) => hasTemplates(item, depth + 1));
}
