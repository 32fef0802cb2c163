import type { KubernetesObject } from "./bundle.ts";
import { parseManifests } from "./manifests.ts";

const DOCUMENT_SEPARATOR = /^---[ \t]*(?:#.*)?$/m;
const HELM_SOURCE = /^# Source: (.+)$/m;

/**
 * Parses the multi-document stream helm or kustomize wrote. It is split on document markers first so that
 * each document is parsed on its own — a stream may be far larger than any one file we accept — and an
 * error names the chart template it came from when helm said so ("# Source: chart/templates/x.yaml").
 */
export function parseToolOutput(output: string, label: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  output.split(DOCUMENT_SEPARATOR).forEach((chunk, i) => {
    if (chunk.trim() === "") return;
    const source = HELM_SOURCE.exec(chunk)?.[1];
    const name = source === undefined ? `${label}, document ${i}` : `${label}, ${source.trim()}`;
    objects.push(...parseManifests(chunk, name));
  });
  return objects;
}
