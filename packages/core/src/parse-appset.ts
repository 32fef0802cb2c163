import type { ApplicationSet } from "./appset.ts";
import type { ValidationIssue } from "./errors/validation-error.ts";
import { applicationSetSchema } from "./schema.ts";
import { schemaIssues } from "./schema-issues.ts";
import { applicationSetFieldProblems } from "./supported-fields.ts";
import { parseYamlDocuments } from "./yaml-source.ts";

/** An ApplicationSet with where it came from, so later errors can point back at the file. */
export interface LocatedApplicationSet {
  appSet: ApplicationSet;
  file: string;
  line: number;
}

export interface ParsedApplicationSets {
  appSets: LocatedApplicationSet[];
  issues: ValidationIssue[];
}

/**
 * Parses every ApplicationSet in a (multi-document) YAML file. A document with problems is reported and left
 * out; its valid siblings are still returned, so one bad document never hides the others.
 */
export function parseApplicationSets(text: string, file: string): ParsedApplicationSets {
  const { documents, issues } = parseYamlDocuments(text, file);
  const appSets: LocatedApplicationSet[] = [];
  const seen = new Map<string, number>();
  for (const doc of documents) {
    const result = applicationSetSchema.safeParse(doc.data);
    if (!result.success) {
      issues.push(...schemaIssues(doc, result.error));
      continue;
    }
    // Fields the schema knows but Flotilla cannot honour as written are refused here, never ignored.
    const refused = applicationSetFieldProblems(doc.data as ApplicationSet);
    if (refused.length > 0) {
      issues.push(...refused.map((p) => doc.issue(p.path, p.message)));
      continue;
    }
    const { line } = doc.locate([]);
    const name = result.data.metadata.name;
    const firstLine = seen.get(name);
    if (firstLine !== undefined) {
      issues.push(
        doc.issue(["metadata", "name"], `duplicate ApplicationSet name "${name}" (first defined at line ${firstLine})`),
      );
      continue;
    }
    seen.set(name, line);
    // The input, not zod's copy: zod rebuilds records with plain assignment, which would turn a `__proto__`
    // key from Git into a prototype change. The schema has no defaults or coercions, so both hold the same data.
    appSets.push({ appSet: doc.data as ApplicationSet, file, line });
  }
  return { appSets, issues };
}
