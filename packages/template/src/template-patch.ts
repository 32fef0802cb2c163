import type { Params } from "@flotilla/core";
import { isMap, isSeq, type Node as YamlNode } from "yaml";
import { TemplateError } from "./errors.ts";
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from "./limits.ts";
import { renderYamlDocument } from "./yaml-text.ts";

export interface TemplatePatchOptions {
  /** Where the patch text sits, for error messages. @defaultValue "spec.templatePatch" */
  fieldPath?: string;
  limits?: Partial<TemplateLimits>;
}

/**
 * Renders templatePatch text with the params and returns the patch object (to be applied with `mergePatch`).
 * The text is YAML parsed before any parameter value is put in (see `renderYamlDocument`), so a value can vary a
 * field, even a number or a boolean, but never add a field or change the patch's shape: that is the text's, the
 * ApplicationSet author's. An empty rendered patch is an empty object.
 */
export function renderTemplatePatch(
  patchText: string,
  params: Params,
  options: TemplatePatchOptions = {},
): Record<string, unknown> {
  const fieldPath = options.fieldPath ?? "spec.templatePatch";
  const limits = options.limits ? { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits } : DEFAULT_TEMPLATE_LIMITS;
  const fail = (reason: string, cause?: unknown): TemplateError =>
    new TemplateError({ code: "InvalidPatch", fieldPath, template: patchText, reason, cause });

  const doc = renderYamlDocument(patchText, params, { fieldPath, limits, noun: "patch" });
  if (depthOf(doc.contents, 0) > limits.maxDepth) {
    throw fail(`rendered patch nests deeper than ${limits.maxDepth} levels`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    // Aliases are how "billion laughs" expands; a patch has no need for them.
    throw fail("rendered patch uses YAML aliases, which are not allowed", err);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw fail(`rendered patch must be a YAML map, got ${Array.isArray(value) ? "a list" : typeof value}`);
  }
  return value as Record<string, unknown>;
}

function depthOf(node: unknown, depth: number): number {
  // Stop early: past the limit the exact depth no longer matters, and stopping bounds the walk.
  if (depth > DEFAULT_TEMPLATE_LIMITS.maxDepth * 2) return depth;
  let deepest = depth;
  const children = isMap(node)
    ? node.items.map((pair) => pair.value as YamlNode | null)
    : isSeq(node)
      ? node.items
      : [];
  for (const child of children) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}
