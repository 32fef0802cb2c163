import type { KubeConfig } from "@kubernetes/client-node";
import { clientNode } from "./client-node.ts";

/**
 * A kubeconfig that cannot be loaded. The message names where (line and column, when the parser says) and never
 * quotes the text: the YAML parser's own message shows the offending lines, which can be a token or a key.
 */
export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

/** Loads kubeconfig text (YAML or JSON) through client-node, with errors that carry no part of it. */
export function loadKubeconfig(text: string): KubeConfig {
  const kubeConfig = new (clientNode().KubeConfig)();
  try {
    kubeConfig.loadFromString(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig cannot be loaded: ${describe(err)}; its contents are not shown`);
  }
  return kubeConfig;
}

/** js-yaml's exceptions keep the reason and position apart from the snippet; anything else is named only. */
function describe(err: unknown): string {
  const e = err as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
  if (typeof e?.reason === "string" && typeof e.mark?.line === "number" && typeof e.mark.column === "number") {
    return `${e.reason} at line ${e.mark.line + 1}, column ${e.mark.column + 1}`;
  }
  if (typeof e?.reason === "string") return e.reason;
  return err instanceof Error ? `${err.name} while parsing` : "not a kubeconfig";
}
