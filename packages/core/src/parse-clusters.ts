import { z } from "zod";
import type { Cluster } from "./cluster.ts";
import type { ValidationIssue } from "./errors/validation-error.ts";
import { clusterSchema } from "./schema.ts";
import { schemaIssues } from "./schema-issues.ts";
import { parseYamlDocuments } from "./yaml-source.ts";

const clusterList = z.array(clusterSchema);

/** Parses a YAML list of clusters (`{name, server, labels, annotations}`), as the preview command takes. */
export function parseClusters(text: string, file: string): { clusters: Cluster[]; issues: ValidationIssue[] } {
  const { documents, issues } = parseYamlDocuments(text, file);
  const clusters: Cluster[] = [];
  const seen = new Set<string>();
  for (const doc of documents) {
    const result = clusterList.safeParse(doc.data);
    if (!result.success) {
      issues.push(...schemaIssues(doc, result.error));
      continue;
    }
    result.data.forEach((c, i) => {
      if (seen.has(c.name)) {
        issues.push(doc.issue([i, "name"], `duplicate cluster name "${c.name}"`));
        return;
      }
      seen.add(c.name);
      clusters.push({ name: c.name, server: c.server, labels: c.labels ?? {}, annotations: c.annotations ?? {} });
    });
  }
  return { clusters, issues };
}
